"""The results of the reasoning tools: frozen data first, presentation second.

Each tool returns one of these small frozen objects rather than a bare DataFrame whose
meaning hides in ``DataFrame.attrs``. Every result has the same four faces:

* ``to_frame()`` — the data as a pandas DataFrame (a copy);
* ``to_dict()`` — plain JSON-ready data (what ``gluteal-bn ... --json`` prints);
* ``str(result)`` — a plain-text table (what the command line prints);
* ``_repr_html_()`` — the table in Jupyter; ``repr`` is one line.

``str`` and ``_repr_html_`` speak the language of ``GLUTEAL_BN_LANG`` or the locale (labels,
words and rounded numbers from the catalogue, :mod:`gluteal_bn.i18n`); ``to_text(language)``
and ``to_html(language)`` choose it. ``to_dict`` and ``to_frame`` keep the identifiers.

The numbers of the table are also reachable as on a DataFrame (``result["swing"]``,
``result.loc[...]``, ``len(result)``), so code written when the tools returned DataFrames
keeps working; the other fields (the cause, the evidence, the prior and posterior...) are
attributes of the result.

The classes live in one module per family (:mod:`.explanation`, :mod:`.questions`,
:mod:`.most_probable`, :mod:`.numbers` for sensitivity and tipping points,
:mod:`.intervals`, :mod:`.conflict`); what they share is in :mod:`._base` and
:mod:`gluteal_bn.display`. Import them from here.
"""

from .conflict import Conflict
from .explanation import Explanation
from .intervals import PosteriorIntervals
from .most_probable import MostProbableExplanations
from .numbers import Sensitivity, TippingPoints
from .questions import NextQuestions

__all__ = [
    "Conflict",
    "Explanation",
    "MostProbableExplanations",
    "NextQuestions",
    "PosteriorIntervals",
    "Sensitivity",
    "TippingPoints",
]
