"""The only code that imports matplotlib (lazily, inside each function).

Every plot takes ``ax=None`` and returns the Axes it drew on: give it an Axes to place the
chart in your own figure, or let it make a figure of its own. Nothing here calls
``plt.show()``. Colours are chosen to stay distinct when printed in grey: the prior is a
light hatched bar, the posterior a dark solid one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

__all__ = ["plot_explanation", "plot_next_questions", "plot_posterior"]

PRIOR_COLOR = "#c9c9c9"
PRIOR_EDGE = "#6b6b6b"
POSTERIOR_COLOR = "#1f4e79"


def plot_posterior(
    prior: Any,
    posterior: Any = None,
    *,
    ax: Any = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Any:
    """Horizontal bars of each cause's prior beside its posterior, with percentages.

    Parameters
    ----------
    prior : pandas.Series or result
        P(cause present) with no evidence, indexed by cause; or any object with ``prior`` and
        ``posterior`` attributes (and optionally ``evidence``), such as a diagnosis result.
    posterior : pandas.Series, optional
        P(cause present | evidence), same index as ``prior``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    labels : mapping, optional
        Words for each cause; by default the labels the model attached to the Series.
    title : str, optional
        Defaults to the evidence, when the result carries it.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_posterior(model.prior(), model.posterior({"fever": "yes"}))
    >>> len(ax.patches)
    10
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    evidence = None
    if posterior is None and hasattr(prior, "posterior") and hasattr(prior, "prior"):
        evidence = getattr(prior, "evidence", None)
        prior, posterior = prior.prior, prior.posterior
    _check_series(prior, posterior)
    labels = {
        **prior.attrs.get("labels", {}),
        **posterior.attrs.get("labels", {}),
        **(labels or {}),
    }
    causes = list(posterior.index)
    names = [labels.get(cause, cause.replace("_", " ").capitalize()) for cause in causes]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.75 * len(causes) + 1.4), layout="constrained")

    positions = list(range(len(causes)))[::-1]  # first cause on top
    height = 0.38
    prior_bars = ax.barh(
        [p + height / 2 for p in positions],
        prior.loc[causes],
        height=height,
        color=PRIOR_COLOR,
        edgecolor=PRIOR_EDGE,
        hatch="//",
        linewidth=0.8,
        label="prior",
    )
    posterior_bars = ax.barh(
        [p - height / 2 for p in positions],
        posterior.loc[causes],
        height=height,
        color=POSTERIOR_COLOR,
        edgecolor=POSTERIOR_COLOR,
        label="posterior",
    )
    for bars, weight in ((prior_bars, "normal"), (posterior_bars, "bold")):
        ax.bar_label(
            bars,
            labels=[_percent(b.get_width()) for b in bars],
            padding=3,
            fontsize=10,
            fontweight=weight,
        )

    ax.set_yticks(positions, names, fontsize=11)
    ax.set_xlim(0, 1.14)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("probability the cause is present")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", frameon=False, fontsize=10)
    if title is None:
        title = (
            "Prior and posterior"
            if not evidence
            else "Given " + ", ".join(f"{k}={v}" for k, v in evidence.items())
        )
    ax.set_title(textwrap.fill(title, width=60), loc="left", fontsize=12)
    return ax


def _check_series(prior: Any, posterior: Any) -> None:
    import pandas as pd

    for name, series in (("prior", prior), ("posterior", posterior)):
        if not isinstance(series, pd.Series):
            raise TypeError(
                f"plot_posterior needs {name} as a pandas Series indexed by cause "
                f"(from model.prior() / model.posterior()); got {type(series).__name__}"
            )
    if set(prior.index) != set(posterior.index):
        raise ValueError(
            "prior and posterior must cover the same causes; got "
            f"{list(prior.index)} and {list(posterior.index)}"
        )


def _percent(probability: float) -> str:
    return "100%" if probability == 1 else f"{100 * probability:.1f}%"


# -- reasoning -------------------------------------------------------------------------------

GAIN_COLOR = "#1f4e79"
AGAINST_COLOR = "#d9d9d9"
AGAINST_EDGE = "#4d4d4d"


def plot_next_questions(result: Any, *, ax: Any = None, top: int | None = None) -> Any:
    """Horizontal bars of each candidate question's expected information gain, in bits.

    Parameters
    ----------
    result : NextQuestions
        From :meth:`DiagnosticModel.next_questions`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    top : int, optional
        Show only the ``top`` best questions.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_next_questions(model.next_questions({"fever": "yes"}))
    >>> len(ax.patches) == len(model.risk_factors) + len(model.findings) - 1
    True
    """
    import matplotlib.pyplot as plt

    ranking = getattr(result, "ranking", None)
    if ranking is None:
        raise TypeError(
            "plot_next_questions needs the result of model.next_questions(...); got "
            f"{type(result).__name__}"
        )
    if top is not None:
        ranking = ranking.head(top)
    names = list(ranking["label"])
    gains = ranking["information_gain"].to_numpy()
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.45 * len(names) + 1.6), layout="constrained")
    positions = list(range(len(names)))[::-1]  # best on top
    bars = ax.barh(positions, gains, height=0.65, color=GAIN_COLOR)
    ax.bar_label(bars, labels=[f"{g:.2f}" for g in gains], padding=3, fontsize=10)
    ax.set_yticks(positions, names, fontsize=11)
    ax.set_xlim(0, max(float(gains.max(initial=0.0)) * 1.18, 0.05))
    ax.set_xlabel("expected information gain (bits)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    about = result.target.replace("_", " ") if result.target else "the causes"
    given = [f"{k}={v}" for k, v in result.evidence.items()]
    given += [f"{name} (soft)" for name in getattr(result, "soft", {})]
    ax.set_title(
        textwrap.fill(
            f"What to ask next about {about} (given {', '.join(given) or 'no evidence'})", width=60
        ),
        loc="left",
        fontsize=12,
    )
    return ax


def plot_explanation(result: Any, *, ax: Any = None) -> Any:
    """Diverging horizontal bars: each observed item's contribution to a cause's log-odds.

    Bars to the right push the cause up, to the left push it down; they add up to the
    change from prior to posterior log-odds, shown in the title.

    Parameters
    ----------
    result : pandas.DataFrame
        From :meth:`DiagnosticModel.explain`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> why = model.explain({"fever": "yes", "claudication": "yes"}, "local_infection")
    >>> len(gb.plot_explanation(why).patches)
    2
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if not hasattr(result, "attrs") or "posterior_log_odds" not in result.attrs:
        raise TypeError(
            f"plot_explanation needs the result of model.explain(...); got {type(result).__name__}"
        )
    contributions = result["contribution"].to_numpy()
    names = [
        f"{label}: {state}" for label, state in zip(result["label"], result["state"], strict=True)
    ]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 0.5 * len(names) + 1.8), layout="constrained")
    positions = list(range(len(names)))[::-1]  # largest on top
    supports = contributions >= 0
    bars = ax.barh(
        positions,
        contributions,
        height=0.65,
        color=[GAIN_COLOR if s else AGAINST_COLOR for s in supports],
        edgecolor=[GAIN_COLOR if s else AGAINST_EDGE for s in supports],
        hatch=None,
        linewidth=0.8,
    )
    for bar, support in zip(bars, supports, strict=True):
        if not support:
            bar.set_hatch("//")
    ax.bar_label(
        bars, labels=[f"{round(c, 2) + 0.0:+.2f}" for c in contributions], padding=3, fontsize=10
    )
    ax.axvline(0, color="black", linewidth=0.8)
    span = max(float(np.abs(contributions).max(initial=0.0)), 0.1) * 1.3
    ax.set_xlim(-span, span)
    ax.set_yticks(positions, names, fontsize=11)
    ax.set_xlabel("contribution to the log-odds (natural log; right = for, left = against)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    attrs = result.attrs
    headline = textwrap.fill(
        f"Why {attrs['cause_label']} went from {_percent(attrs['prior'])} to "
        f"{_percent(attrs['posterior'])}",
        width=60,
    )
    ax.set_title(
        f"{headline}\nlog-odds {attrs['prior_log_odds']:+.2f} → {attrs['posterior_log_odds']:+.2f}"
        " (exact Shapley values)",
        loc="left",
        fontsize=12,
    )
    return ax
