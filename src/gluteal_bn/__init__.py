"""gluteal_bn: an educational Bayesian network of the causes of buttock pain.

Not for clinical decisions. Importing the package is cheap: numpy, pandas, pgmpy and
matplotlib load only when a function that needs them is first used.

>>> import gluteal_bn as gb
>>> model = gb.load_model()
>>> model.posterior({"fever": "yes", "local_redness_swelling": "yes"}).idxmax()
'local_infection'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError, DataError, EvidenceError, GlutealBNWarning

if TYPE_CHECKING:
    from .diagnosis import Diagnosis
    from .evaluation import Evaluation, evaluate, sample_cases
    from .interactive import explorer
    from .io.cases import load_cases
    from .model import DISCLAIMER, DiagnosticModel, load_model
    from .plotting import (
        plot_compare,
        plot_confusion,
        plot_evidence_impact,
        plot_explanation,
        plot_network,
        plot_next_questions,
        plot_posterior,
        plot_reliability,
        plot_roc,
        plot_sensitivity,
        plot_validation,
    )

__version__ = "0.1.0"

__all__ = [
    "DISCLAIMER",
    "ArgumentError",
    "DataError",
    "Diagnosis",
    "DiagnosticModel",
    "Evaluation",
    "EvidenceError",
    "GlutealBNWarning",
    "__version__",
    "evaluate",
    "explorer",
    "load_cases",
    "load_model",
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
    "sample_cases",
]

# Public name -> the module that defines it, imported on first access (PEP 562).
_LAZY = {
    "DISCLAIMER": "model",
    "DiagnosticModel": "model",
    "load_model": "model",
    "plot_posterior": "plotting",
    # -- teaching in Jupyter (issue 4) --
    "Diagnosis": "diagnosis",
    "plot_compare": "plotting",
    "plot_evidence_impact": "plotting",
    "plot_network": "plotting",
    "load_cases": "io.cases",
    "explorer": "interactive",  # not explorer.py: the module would shadow the function
    "plot_explanation": "plotting",
    "plot_next_questions": "plotting",
    "plot_sensitivity": "plotting",
    # -- evaluation on labelled cases (issue 12) --
    "Evaluation": "evaluation",
    "evaluate": "evaluation",
    "sample_cases": "evaluation",
    "plot_reliability": "plotting",
    "plot_roc": "plotting",
    "plot_confusion": "plotting",
    # -- the literature check (clinical v2) --
    "plot_validation": "plotting",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'gluteal_bn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
