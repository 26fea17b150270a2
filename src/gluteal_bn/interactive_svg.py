"""The explorer's picture of the network: an SVG drawn in Python, every node with its current
distribution, observed nodes highlighted, clickable nodes marked with ``data-node``.

Used by :mod:`gluteal_bn.interactive` both live (the widget shows it) and in the static
snapshot; ``t`` is the explorer's translation (labels in the explorer's language). No label
is cut short: a long variable or state label wraps over more lines and its box grows. Each
bar carries its exact probability in ``data-probability`` (what the browser test reads).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

__all__ = ["network_svg"]

# The network picture: sizes in SVG user units (the picture scales to the cell's width).
_NODE_WIDTH = 220
_GAP_X = 16
_GAP_Y = 34
_HEADER = 24
_ROW = 19
_STATE_LINE = 15  # each further line of a state label that wraps
_STATE_CHARS = 16  # characters of a state label's line, left of its bar
_TITLE_CHARS = 23  # characters of a node label's line
_PER_ROW = 5
_INK = "#1b1b1b"
_OBSERVED_FILL = "#fff1c9"
_CAUSE_FILL = "#eef3f8"
_BAR_FILL = "#1f4e79"


def _layout(model: Any, t: Any) -> dict[str, tuple[float, float, float]]:
    """Each node's (x, y, height): risk factors, causes (and any other hidden layer), then
    findings, in rows of at most five."""
    hidden = [v.name for v in model.vocabulary if v.role not in ("risk_factor", "finding")]
    rows: list[list[str]] = []
    for layer in (list(model.risk_factors), hidden, list(model.findings)):
        rows += [layer[i : i + _PER_ROW] for i in range(0, len(layer), _PER_ROW)]
    width = max(len(row) for row in rows) * (_NODE_WIDTH + _GAP_X)
    positions = {}
    y = 8.0
    for row in rows:
        height = max(_header(model, n, t) + _states_height(model, n, t) + 6 for n in row)
        left = (width - len(row) * (_NODE_WIDTH + _GAP_X) + _GAP_X) / 2
        for i, name in enumerate(row):
            positions[name] = (left + i * (_NODE_WIDTH + _GAP_X), y, float(height))
        y += height + _GAP_Y
    return positions


def network_svg(
    model: Any,
    marginals: Mapping[str, Any] | None,
    evidence: Mapping[str, str],
    soft: Mapping[str, Mapping[str, float]],
    t: Any,
) -> str:
    """The network as SVG: every node with its distribution; observed nodes highlighted."""
    positions = _layout(model, t)
    width = max(x for x, _, _ in positions.values()) + _NODE_WIDTH + 8
    height = max(y + h for _, y, h in positions.values()) + 8
    aria = html.escape(t.gettext("The network: click a node to set its evidence"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px;font-family:sans-serif" '
        f'role="img" aria-label="{aria}">'
    ]
    for child in model.variables:
        for parent in model.parents(child):
            px, py, ph = positions[parent]
            cx, cy, _ = positions[child]
            parts.append(
                f'<line x1="{px + _NODE_WIDTH / 2:.1f}" y1="{py + ph:.1f}" '
                f'x2="{cx + _NODE_WIDTH / 2:.1f}" y2="{cy:.1f}" stroke="#9a9a9a" '
                'stroke-width="1"/>'
            )
    observable = {*model.risk_factors, *model.findings}
    vocabulary = model.vocabulary
    for name in model.variables:
        x, y, h = positions[name]
        observed = evidence.get(name)
        clickable = name in observable
        fill = _OBSERVED_FILL if observed else ("#ffffff" if clickable else _CAUSE_FILL)
        stroke = "3" if observed else "1.2"
        dash = ' stroke-dasharray="6 3"' if name in soft else ""
        attributes = f' data-node="{html.escape(name)}" style="cursor:pointer"' if clickable else ""
        label = t.variable(vocabulary, name)
        if observed:
            title = t.gettext("{variable}: {state} (click to change)").format(
                variable=label, state=t.state(vocabulary, name, observed)
            )
        elif clickable:
            title = t.gettext("{variable} (click to set)").format(variable=label)
        else:
            title = label
        parts.append(f"<g{attributes}><title>{html.escape(title)}</title>")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{_NODE_WIDTH}" height="{h:.1f}" rx="6" '
            f'fill="{fill}" stroke="{_INK}" stroke-width="{stroke}"{dash}/>'
        )
        for line_number, line in enumerate(_wrap(label, _TITLE_CHARS)):
            parts.append(
                f'<text x="{x + 8:.1f}" y="{y + 17 + 16 * line_number:.1f}" font-size="14" '
                f'font-weight="bold" fill="{_INK}">{html.escape(line)}</text>'
            )
        header = _header(model, name, t)
        distribution = marginals[name] if marginals is not None else None
        row_y = y + header
        for state in model.states(name):
            p = float(distribution[state]) if distribution is not None else None
            lines = _wrap(t.state(vocabulary, name, state), _STATE_CHARS)
            weight = ' font-weight="bold"' if observed == state else ""
            parts.append(
                f'<text x="{x + 8:.1f}" y="{row_y + 13:.1f}" font-size="13" fill="{_INK}"'
                f"{weight}>{_lines(lines, x + 8)}</text>"
            )
            bar_x, bar_width = x + 128, 52.0
            parts.append(
                f'<rect x="{bar_x:.1f}" y="{row_y + 3:.1f}" width="{bar_width}" height="12" '
                'fill="#e4e4e4"/>'
            )
            if p is not None:
                parts.append(
                    f'<rect class="bar" data-state="{html.escape(state)}" x="{bar_x:.1f}" '
                    f'y="{row_y + 3:.1f}" width="{bar_width * p:.1f}" height="12" '
                    f'fill="{_BAR_FILL}" data-probability="{p!r}"/>'
                    f'<text x="{x + _NODE_WIDTH - 4:.1f}" y="{row_y + 13:.1f}" '
                    f'font-size="12" text-anchor="end" fill="{_INK}">{_percent(p, t)}</text>'
                )
            row_y += _ROW + _STATE_LINE * (len(lines) - 1)
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _wrap(label: str, width: int) -> list[str]:
    """``label`` over lines of at most ``width`` characters, words kept whole, never cut.

    A single word longer than ``width`` keeps a line of its own.
    """
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _lines(lines: list[str], x: float) -> str:
    """The escaped lines of one SVG text: plain for one line, a tspan each for more."""
    if len(lines) == 1:
        return html.escape(lines[0])
    return "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else _STATE_LINE}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )


def _header(model: Any, name: str, t: Any) -> float:
    return _HEADER + 16 * (len(_wrap(t.variable(model.vocabulary, name), _TITLE_CHARS)) - 1)


def _states_height(model: Any, name: str, t: Any) -> float:
    """The height of a node's state rows: one row each, taller where a label wraps."""
    return sum(
        _ROW + _STATE_LINE * (len(_wrap(t.state(model.vocabulary, name, state), _STATE_CHARS)) - 1)
        for state in model.states(name)
    )


def _percent(p: float, t: Any) -> str:
    """Whole percent for reading, one decimal below 1% and above 99% (never 0% for 0.3%)."""
    value = round(100 * p)
    return t.percent(p, decimals=0 if 1 <= value <= 99 or p in (0.0, 1.0) else 1)
