"""Evaluate the model on labelled cases, and draw labelled cases from the model itself.

:func:`evaluate` scores a table of cases (evidence, as :meth:`DiagnosticModel.posterior_batch`
takes it) whose true state of one or more variables is known, and measures how good the
predicted probabilities are. It uses only the model's public API: ``posterior_batch`` for the
causes; for any other truth variable, such as a subtype node, the compiled engine's posterior
over its core configurations, once per distinct evidence pattern and all patterns at once
(:mod:`.marginals`: equal to ``query`` to rounding).

Outcomes
    Every truth variable gives binary outcomes, "this variable is in this state". A two-state
    variable (a cause: ``no|yes``) gives one outcome named after it, its second (present)
    state. A variable with more states (a subtype such as ``spinal_type`` with states
    ``none|disc_herniation|...``) gives one outcome per state, named ``variable=state``, each
    scored one-vs-rest (the state ``none`` included). A blank truth cell leaves that row out
    of that variable's outcomes only.

Per outcome
    number of cases with a known truth, prevalence, Brier score, log loss, ROC AUC (all from
    scikit-learn's ``brier_score_loss``, ``log_loss``, ``roc_auc_score``), a reliability table
    (``bins`` equal-width bins of the predicted probability, closed on the right as in
    ``sklearn.calibration.calibration_curve``: count, mean predicted, observed frequency) and
    the expected calibration error, ECE = sum over bins of count / n * |observed - predicted|.
    AUC is undefined (NaN) when an outcome has only positives or only negatives.

Over the table: the most likely vs the true cause
    Among the causes given as truth (at least two), the *most likely cause* of a row is the one
    with the highest posterior. Only rows whose truth is known for every one of those causes
    count. The *true cause* is the present cause when exactly one is present; rows with several
    present are labelled ``(several)`` and rows with none ``(none)``. The confusion matrix has
    one row per true label (causes, then ``(several)``, ``(none)``) and one column per most
    likely cause. Top-1 accuracy is the share of rows with at least one cause present whose most
    likely cause is one of the present ones (a ``(none)`` row cannot be a hit or a miss: the
    model's ranking of causes always names one).

Confidence intervals
    Percentile bootstrap intervals (``n_boot`` resamples of the rows, with replacement, from
    ``seed``) for every metric. Each outcome is resampled on its own (and the accuracy on its
    own), compressed: rows with the same (prediction, truth) are interchangeable, so a resample
    is a table of counts over the distinct pairs (a multinomial draw when there are few pairs,
    counted row draws otherwise), and the metrics are computed from the counts, vectorised
    across resamples. On every table of counts these formulas equal scikit-learn's metrics
    with the counts as sample weights (tested). The ECE is biased upwards in small bins, and
    so is its resampled distribution: its interval can sit above the value.

:func:`sample_cases` draws cases by forward sampling from the model's CPTs (``cpd_table``),
vectorised over cases; cases drawn from the model are the self-consistency check: on them
calibration must be near perfect.

The package, one module per seam: :mod:`.driver` (:func:`evaluate`), :mod:`.truth` (which
columns are truth), :mod:`.metrics` (per outcome, and the most likely cause),
:mod:`.bootstrap` (the compressed resampling), :mod:`.marginals` (the predicted
probabilities), :mod:`.result` (:class:`Evaluation`) and
:mod:`.sampling` (:func:`sample_cases`).
"""

# Also importable from here, as before the package: Cells and _resample_counts (tested),
# NONE and SEVERAL (the confusion matrix's labels, used by the plots), Truth (a type).
from .bootstrap import Cells as Cells
from .bootstrap import _resample_counts as _resample_counts
from .driver import evaluate
from .metrics import METRICS
from .metrics import NONE as NONE
from .metrics import SEVERAL as SEVERAL
from .result import Evaluation
from .sampling import sample_cases
from .truth import Truth as Truth

__all__ = ["METRICS", "Evaluation", "evaluate", "sample_cases"]
