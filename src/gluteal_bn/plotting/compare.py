"""plot_compare: several cases side by side, a table of P(cause present)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..i18n import translation
from .style import FONT_LABEL, FONT_SMALL, FONT_TITLE, title_for, wrap_label, wrap_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_compare(
    model: Any,
    cases: Mapping[str, Mapping[str, str]],
    *,
    ax: Axes | None = None,
    language: str | None = None,
) -> Axes:
    """Several cases side by side: a table of P(cause present), one column per case.

    Each cell holds the posterior in percent, shaded from white (0%) to dark (100%) in a
    single-hue scale that keeps its order in grey print; each case's most likely cause is
    boxed. The top row is the prior, for reference.

    Parameters
    ----------
    model : DiagnosticModel
    cases : mapping of str to evidence
        Case name -> evidence mapping, e.g. ``{"hip OA": {...}, "stenosis": {...}}``.
    ax : matplotlib Axes, optional
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EvidenceError
        If ``cases`` is empty, or for bad evidence in a case (the message names the case).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_compare(model, {"A": {"fever": "yes"}, "B": {"claudication": "yes"}})
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['prior', 'A', 'B']
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Rectangle

    from ..errors import EvidenceError

    t = translation(language)
    if not isinstance(cases, Mapping) or not cases:
        raise EvidenceError(
            "plot_compare needs a non-empty mapping of case name to evidence, such as "
            "{'hip OA': {'hip_movement_pain': 'yes'}}"
        )
    columns = {"prior": model.prior()}
    for name, evidence in cases.items():
        try:
            columns[str(name)] = model.posterior(evidence)
        except EvidenceError as error:
            raise EvidenceError(f"case {name!r}: {error}") from None
    values = np.column_stack([columns[name].to_numpy() for name in columns])
    if ax is None:
        width = 3.2 + 1.45 * len(columns)
        _, ax = plt.subplots(figsize=(width, 0.62 * len(model.causes) + 2.2), layout="constrained")
    ax.imshow(values, cmap="Blues", vmin=0, vmax=1.25, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        ax.text(
            column,
            row,
            t.percent(value),
            ha="center",
            va="center",
            fontsize=FONT_LABEL,
            color="white" if value > 0.6 else "black",
        )
    for column in range(1, values.shape[1]):
        best = int(np.argmax(values[:, column]))
        ax.add_patch(
            Rectangle(
                (column - 0.46, best - 0.44),
                0.92,
                0.88,
                fill=False,
                edgecolor="black",
                linewidth=2.5,
            )
        )
    ax.axvline(0.5, color="white", linewidth=4)
    names = [t.gettext("prior")] + [wrap_name(name) for name in list(columns)[1:]]
    ax.set_xticks(range(len(columns)), names, fontsize=FONT_SMALL)
    ax.xaxis.tick_top()
    ax.set_yticks(
        range(len(model.causes)),
        [wrap_label(t.variable(model.vocabulary, c)) for c in model.causes],
        fontsize=FONT_LABEL,
    )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    lines = max(name.count("\n") + 1 for name in names)
    ax.set_title(
        title_for(ax, t.gettext("P(cause present) in each case; the most likely cause is boxed")),
        loc="left",
        fontsize=FONT_TITLE,
        pad=10 + 14 * lines,
    )
    return ax
