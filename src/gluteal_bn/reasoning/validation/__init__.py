"""The literature check: the model's implied diagnostic accuracy beside published figures.

``data/validation.csv`` lists published sensitivities, specificities and likelihood ratios
(with their 95% confidence intervals where the source gives one). For each row,
:func:`validate` computes the figure the model implies for the same comparison, exactly, with
the public query API (:meth:`~gluteal_bn.model.DiagnosticModel.query`):

* sensitivity = P(finding = state | condition, population);
* specificity = P(finding != state | not condition, population);
* LR+ = sensitivity / (1 - specificity); LR- = (1 - sensitivity) / specificity.

The condition is a cause (``hip_joint_disease``: present vs absent) or a subtype state
(``spinal_type=spinal_stenosis``: that state vs any other, given as likelihood evidence).
The population is evidence that both sides share: ``name=state`` items separated by ``;``,
where ``name=state1|state2`` means "one of these states" (likelihood 1 on each). Every value
is exact: two exact queries per row, no sampling.

Each row gets a verdict (:func:`judge`): ``inside_ci`` when the implied figure lies inside the
published interval; otherwise ``within_2x`` when it is within a factor of 2 of the published
value (on the odds scale p / (1 - p) for sensitivity and specificity, directly for likelihood
ratios); otherwise ``off``. Rows whose study also set a number of the model are *dependent*;
the others are *independent* and are counted separately, since agreement with one's own
inputs proves little.

The package, one step a module: :mod:`.table` reads and checks the file, :mod:`.figures`
computes the model's figures, :mod:`.verdicts` judges each comparison, :mod:`.result` holds the
rows (data, text, HTML) and :mod:`.plot` draws them.
"""

from __future__ import annotations

from .figures import sensitivity_specificity, validate
from .plot import plot_validation
from .result import ValidationResult, ValidationRow
from .table import COLUMNS, VALIDATION_FILE, CheckedRow, read_validation
from .verdicts import MEASURES, VERDICTS, Verdict, judge

__all__ = [
    "COLUMNS",
    "MEASURES",
    "VALIDATION_FILE",
    "VERDICTS",
    "CheckedRow",
    "ValidationResult",
    "ValidationRow",
    "Verdict",
    "judge",
    "plot_validation",
    "read_validation",
    "sensitivity_specificity",
    "validate",
]
