"""The browser side of the explorer: its JavaScript, its CSS and the widget classes.

:mod:`gluteal_bn.interactive` holds what the explorer knows and does; this module holds what
runs in (or styles) the browser. ipywidgets and anywidget are imported only on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BARS_CSS", "CONTROLS_CSS", "ESM", "import_widgets", "network_widget"]

# The browser side of the clickable network: show the SVG, report clicks on nodes.
ESM = """
function render({ model, el }) {
  // Live, the explorer hides its static snapshot (shown where widgets cannot run).
  const hide = document.createElement("style");
  hide.textContent = `.${model.get("snapshot_class")} { display: none !important; }`;
  document.head.appendChild(hide);
  const draw = () => {
    el.innerHTML = model.get("svg");
    el.querySelectorAll("[data-node]").forEach((node) => {
      node.addEventListener("click", () => model.send({ click: node.dataset.node }));
    });
  };
  draw();
  model.on("change:svg", draw);
}
export default { render };
"""

# The controls' descriptions (a variable's or a state's label) wrap rather than end in "…".
CONTROLS_CSS = (
    "<style>.gluteal-bn-controls .widget-label { white-space: normal !important; "
    "overflow: visible !important; text-overflow: clip !important; height: auto !important; "
    "line-height: 1.15 !important; }"
    ".gluteal-bn-controls .widget-inline-hbox { height: auto !important; "
    "align-items: center; margin-bottom: 3px; }</style>"
)

# Taller bars than a Diagnosis's own 7 pixels, for a projector.
BARS_CSS = (
    "<style>.gluteal-bn-diagnosis td div[title] { height: 12px !important; }"
    ".gluteal-bn-diagnosis td { padding: 2px 6px; }</style>"
)


_WIDGET_CLASS: Any = None


def network_widget() -> Any:
    """A new clickable-network widget (the anywidget class is defined on first use)."""
    global _WIDGET_CLASS
    if _WIDGET_CLASS is None:
        try:
            import anywidget
            import traitlets
        except ImportError:
            raise ImportError(
                "gluteal_bn.explorer needs anywidget, which is optional: install it with "
                'pip install "gluteal-bn[notebook]" (or pip install anywidget)'
            ) from None

        class NetworkWidget(anywidget.AnyWidget):
            _esm = ESM
            svg = traitlets.Unicode("").tag(sync=True)
            snapshot_class = traitlets.Unicode("").tag(sync=True)

        _WIDGET_CLASS = NetworkWidget
    return _WIDGET_CLASS()


def import_widgets() -> Any:
    """The ipywidgets module (an ImportError that says how to install it if missing)."""
    try:
        import ipywidgets
    except ImportError:
        raise ImportError(
            "gluteal_bn.explorer needs ipywidgets, which is optional: install it with "
            'pip install "gluteal-bn[notebook]" (or pip install ipywidgets)'
        ) from None
    return ipywidgets
