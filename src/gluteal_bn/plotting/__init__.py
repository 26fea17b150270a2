"""Plots: the only code that imports matplotlib (lazily, inside each function).

Every plot takes ``ax=None`` and returns the Axes it drew on: give it an Axes to place the
chart in your own figure, or let it make a figure of its own. Nothing here calls
``plt.show()``. Colours are chosen to stay distinct when printed in grey: the prior is a
light hatched bar, the posterior a dark solid one.
"""

from __future__ import annotations

from ..reasoning.validation.plot import plot_validation
from .compare import plot_compare
from .evaluation import plot_confusion, plot_reliability, plot_roc
from .impact import evidence_impact_table, plot_evidence_impact
from .network import plot_network
from .posterior import plot_posterior
from .reasoning import plot_explanation, plot_next_questions, plot_sensitivity

__all__ = [
    "evidence_impact_table",
    "plot_compare",
    "plot_confusion",
    "plot_evidence_impact",
    "plot_explanation",
    "plot_network",
    "plot_next_questions",
    "plot_posterior",
    "plot_reliability",
    "plot_roc",
    "plot_sensitivity",
    "plot_validation",
]
