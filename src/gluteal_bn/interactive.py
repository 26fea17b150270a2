"""An interactive explorer for Jupyter: choose what is observed, watch the beliefs move.

(The module is not called ``explorer``: importing it would then replace the function
``gluteal_bn.explorer`` with the module.)

Needs ipywidgets (the optional ``notebook`` extra: ``pip install "gluteal-bn[notebook]"``),
imported only when :func:`explorer` is called. The bars are HTML (the same as a
:class:`~gluteal_bn.diagnosis.Diagnosis` shows), so updating them needs no matplotlib and
works in any front end that shows widgets.
"""

from __future__ import annotations

import html
from typing import Any

from .errors import EvidenceError

__all__ = ["UNKNOWN", "Explorer", "explorer"]

#: The label of the dropdown entry meaning "not observed".
UNKNOWN = "unknown"
_UNKNOWN_VALUE = ""  # no state is the empty string, so it cannot clash with one


def explorer(model: Any) -> Explorer:
    """An explorer of ``model``: one dropdown per risk factor and finding, live posterior bars.

    Every dropdown starts at "unknown"; choosing a state adds it to the evidence, and the
    bars (prior light, posterior dark) and the sentence naming the most likely cause update
    at once. Display the result in a notebook cell.

    Parameters
    ----------
    model : DiagnosticModel

    Returns
    -------
    Explorer
        ``.dropdowns`` (variable -> Dropdown), ``.bars`` and ``.answer`` (HTML widgets),
        ``.evidence`` and ``.diagnosis`` (the current state), ``.widget`` (the whole box).

    Raises
    ------
    ImportError
        If ipywidgets is not installed; the message names the ``notebook`` extra.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> view = gb.explorer(gb.load_model())
    >>> view.dropdowns["fever"].value = "yes"
    >>> view.evidence
    {'fever': 'yes'}
    """
    return Explorer(model)


class Explorer:
    """The widgets of :func:`explorer`, and the evidence they currently describe."""

    def __init__(self, model: Any) -> None:
        widgets = _import_widgets()
        self.model = model
        observable = [*model.risk_factors, *model.findings]
        self.dropdowns = {
            name: widgets.Dropdown(
                options=[(UNKNOWN, _UNKNOWN_VALUE)] + [(s, s) for s in model.states(name)],
                value=_UNKNOWN_VALUE,
                description=model.labels[name],
                style={"description_width": "210px"},
                layout=widgets.Layout(width="360px"),
            )
            for name in observable
        }
        self.answer = widgets.HTML()
        self.bars = widgets.HTML()
        reset = widgets.Button(description="Reset: all unknown")
        reset.on_click(lambda _: self.reset())
        self.widget = widgets.HBox(
            [
                widgets.VBox([*self.dropdowns.values(), reset]),
                widgets.VBox([self.answer, self.bars], layout=widgets.Layout(margin="0 0 0 24px")),
            ]
        )
        for dropdown in self.dropdowns.values():
            dropdown.observe(self._update, names="value")
        self._update()

    @property
    def evidence(self) -> dict[str, str]:
        """The observed states chosen in the dropdowns (the "unknown" ones left out)."""
        return {
            name: dropdown.value
            for name, dropdown in self.dropdowns.items()
            if dropdown.value != _UNKNOWN_VALUE
        }

    @property
    def diagnosis(self) -> Any:
        """``model.diagnose(self.evidence)``."""
        return self.model.diagnose(self.evidence)

    def reset(self) -> None:
        """Set every dropdown back to "unknown"."""
        for dropdown in self.dropdowns.values():
            dropdown.value = _UNKNOWN_VALUE

    def _update(self, _change: object = None) -> None:
        try:
            diagnosis = self.diagnosis
        except EvidenceError as error:  # e.g. a combination the model calls impossible
            self.answer.value = f"<p><b>Cannot answer:</b> {html.escape(str(error))}</p>"
            self.bars.value = ""
            return
        best = diagnosis.most_likely
        self.answer.value = (
            f"<p>Most likely cause: <b>{html.escape(diagnosis.labels[best])}</b> "
            f"({100 * diagnosis.posterior[best]:.1f}%)</p>"
        )
        self.bars.value = diagnosis._repr_html_()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)  # where widgets cannot be shown
        return bundle

    def __repr__(self) -> str:
        return f"Explorer({len(self.evidence)} of {len(self.dropdowns)} variables observed)"


def _import_widgets() -> Any:
    try:
        import ipywidgets
    except ImportError:
        raise ImportError(
            "gluteal_bn.explorer needs ipywidgets, which is optional: install it with "
            'pip install "gluteal-bn[notebook]" (or pip install ipywidgets)'
        ) from None
    return ipywidgets
