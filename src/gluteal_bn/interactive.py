"""An interactive explorer for Jupyter: click the network, watch the beliefs move.

(The module is not called ``explorer``: importing it would then replace the function
``gluteal_bn.explorer`` with the module.)

The explorer shows the network as a picture (an SVG drawn here, in Python): every node with
its current distribution. Clicking a risk factor or a finding cycles its evidence through
"unknown" and each of its states; sliders give soft (likelihood) evidence on any of them:
one slider on a yes/no variable, one per state on a variable of more states (the depth of
the pain, the spread down the leg, the effect of sitting); the posterior bars, the most
likely cause and the three questions worth asking next (by expected information gain;
click an answer to record it) update at once.

Needs ipywidgets and anywidget (the optional ``notebook`` extra:
``pip install "gluteal-bn[notebook]"``), imported only when :func:`explorer` is called. The
browser side is a few lines of JavaScript shipped inline (no network access): it shows the
SVG that Python drew and sends back which node was clicked. Displayed where widgets cannot
run (a notebook exported to HTML, GitHub), the explorer shows a static snapshot: the same
picture, bars and questions as plain HTML.
"""

from __future__ import annotations

import html
import numbers
import uuid
from collections.abc import Mapping
from typing import Any

from .errors import EvidenceError
from .i18n import N_
from .interactive_svg import network_svg
from .interactive_widgets import BARS_CSS, CONTROLS_CSS, import_widgets, network_widget

__all__ = ["UNKNOWN", "Explorer", "explorer"]

#: The label of the dropdown entry meaning "not observed" (translated where it is shown).
UNKNOWN = N_("unknown")
_UNKNOWN_VALUE = ""  # no state is the empty string, so it cannot clash with one

#: How many of the best next questions the explorer offers.
N_QUESTIONS = 3


def explorer(model: Any, *, language: str | None = None) -> Explorer:
    """An explorer of ``model``: a clickable network picture with live posterior bars.

    Click a risk factor or a finding to cycle its evidence (unknown, then each state); or
    choose its state in the dropdowns below the picture. Sliders give soft evidence on any
    of them: on a yes/no variable the likelihood of what was seen if the answer is yes
    (against 1 minus it if no); on a variable of more states one likelihood per state. The
    posterior bars (prior light, posterior dark), the most likely
    cause and the three best next questions (expected information gain, in bits; click an
    answer to record it) update at once. Display the result in a notebook cell.

    Parameters
    ----------
    model : DiagnosticModel
        The model to explore (``gb.load_model()`` or a teacher's copy).
    language : str, optional
        ``"en"`` or ``"ru"``; by default ``$GLUTEAL_BN_LANG``, else the locale (see
        :mod:`gluteal_bn.i18n`).

    Returns
    -------
    Explorer
        ``.network`` (the clickable picture), ``.dropdowns`` (variable -> Dropdown),
        ``.soft_variable``, ``.soft_slider`` (yes/no) and ``.soft_sliders`` (state ->
        slider, for a variable of more states), ``.bars``, ``.answer`` and ``.questions``
        (HTML widgets), ``.evidence``, ``.soft`` and ``.diagnosis`` (the current state),
        ``.widget`` (the whole box).

    Raises
    ------
    ImportError
        If ipywidgets or anywidget is not installed; the message names the ``notebook``
        extra.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> view = gb.explorer(gb.load_model())
    >>> view.click("fever")  # as a click on the node: unknown -> its first state
    >>> view.evidence
    {'fever': 'no'}
    >>> view.dropdowns["fever"].value = "yes"
    >>> view.evidence
    {'fever': 'yes'}
    >>> view.set_soft("radiation", {"none": 0.2, "thigh": 1.0, "below_knee": 0.6})
    >>> view.soft
    {'radiation': {'none': 0.2, 'thigh': 1.0, 'below_knee': 0.6}}
    """
    return Explorer(model, language=language)


class Explorer:
    """The widgets of :func:`explorer`, and the evidence they currently describe.

    Parameters
    ----------
    model : DiagnosticModel
        The model to explore.
    language : str, optional
        ``"en"`` or ``"ru"``; by default ``$GLUTEAL_BN_LANG``, else the locale.
    """

    def __init__(self, model: Any, *, language: str | None = None) -> None:
        from .i18n import translation

        widgets = import_widgets()
        self.model = model
        self._t = t = translation(language)
        self._holding = False
        self._soft: dict[str, dict[str, float]] = {}  # variable -> likelihood of each state
        observable = [*model.risk_factors, *model.findings]
        self.dropdowns = {
            name: widgets.Dropdown(
                options=[(t.marked(UNKNOWN), _UNKNOWN_VALUE)]
                + [(t.state(model.vocabulary, name, s), s) for s in model.states(name)],
                value=_UNKNOWN_VALUE,
                description=t.variable(model.vocabulary, name),
                style={"description_width": "190px"},
                layout=widgets.Layout(width="340px"),
            )
            for name in observable
        }
        self._yes_no = [n for n in observable if tuple(model.states(n)) == ("no", "yes")]
        self._observable = observable
        self.soft_variable = widgets.Dropdown(
            options=[(t.variable(model.vocabulary, n), n) for n in observable],
            description=t.gettext("Soft evidence on"),
            style={"description_width": "120px"},
            layout=widgets.Layout(width="380px"),
        )
        self.soft_slider = widgets.FloatSlider(
            value=0.5,
            min=0.0,
            max=1.0,
            step=0.05,
            description=t.gettext("P(seen | yes)"),
            readout_format=".2f",
            continuous_update=False,
            style={"description_width": "120px"},
            layout=widgets.Layout(width="380px"),
        )
        self.soft_help = widgets.HTML()
        #: For a variable of more than two states: one likelihood slider per state.
        self.soft_sliders: dict[str, Any] = {}
        self.soft_states = widgets.VBox()
        self.network = network_widget()
        self.network.snapshot_class = f"gluteal-bn-snapshot-{uuid.uuid4().hex}"
        self._snapshots: list[Any] = []  # display handles of the static snapshots
        self.network.on_msg(self._on_message)
        self.answer = widgets.HTML()
        self.bars = widgets.HTML()
        self.questions = widgets.HTML()
        self.question_buttons = widgets.VBox()
        reset = widgets.Button(
            description=t.gettext("Reset: all unknown"),
            icon="undo",
            layout=widgets.Layout(width="auto"),
        )
        reset.on_click(lambda _: self.reset())
        self.reset_button = reset
        controls = widgets.VBox(
            [
                widgets.HTML(
                    CONTROLS_CSS + f"<b>{html.escape(t.gettext('Or choose in the lists'))}</b>"
                ),
                *self.dropdowns.values(),
                widgets.HTML(f"<b>{html.escape(t.gettext('Soft evidence'))}</b>"),
                self.soft_variable,
                self.soft_slider,
                self.soft_states,
                self.soft_help,
                reset,
            ]
        )
        controls.add_class("gluteal-bn-controls")
        heading = widgets.HTML(
            "<p>"
            + t.gettext(
                "<b>Ask next</b> (expected information gain about the causes, in bits; click "
                "an answer to record it)"
            )
            + "</p>"
        )
        results = widgets.VBox(
            [self.answer, self.bars, heading, self.question_buttons],
            layout=widgets.Layout(margin="0 0 0 24px"),
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    t.gettext(
                        "<b>Click a risk factor or a finding</b> to cycle its evidence: "
                        "unknown, then each state."
                    )
                ),
                self.network,
                widgets.HBox([controls, results]),
            ],
            layout=widgets.Layout(width="100%"),
        )
        for dropdown in self.dropdowns.values():
            dropdown.observe(self._update, names="value")
        self.soft_variable.observe(self._show_soft, names="value")
        self.soft_slider.observe(self._set_soft, names="value")
        self._show_soft(self.soft_variable.value)
        self._update()

    # -- the state ----------------------------------------------------------------------------

    @property
    def evidence(self) -> dict[str, str]:
        """The observed states chosen (the "unknown" ones left out)."""
        return {
            name: dropdown.value
            for name, dropdown in self.dropdowns.items()
            if dropdown.value != _UNKNOWN_VALUE
        }

    @property
    def soft(self) -> dict[str, dict[str, float]]:
        """The soft evidence set with the sliders, for variables not observed outright.

        Each variable's likelihood of what was seen under each of its states, as
        :meth:`DiagnosticModel.posterior` takes it (``soft=``).
        """
        hard = self.evidence
        return {name: dict(values) for name, values in self._soft.items() if name not in hard}

    @property
    def diagnosis(self) -> Any:
        """The current prior and posterior of every cause, as a ``Diagnosis``."""

        return self.model.diagnose(self.evidence, soft=self.soft or None)

    # -- actions (what the clicks do) --------------------------------------------------------

    def click(self, name: str) -> None:
        """Cycle a variable's evidence, as a click on its node: unknown, each state, unknown.

        Parameters
        ----------
        name : str
            A risk factor or a finding. Causes are not clickable.

        Raises
        ------
        EvidenceError
            If ``name`` is not a risk factor or finding of the model.
        """
        dropdown = self._dropdown(name)
        values = [value for _, value in dropdown.options]
        dropdown.value = values[(values.index(dropdown.value) + 1) % len(values)]

    def answer_question(self, name: str, state: str) -> None:
        """Record the answer ``state`` to the question ``name`` (a click on its button).

        Parameters
        ----------
        name : str
            A risk factor or a finding.
        state : str
            One of its states.

        Raises
        ------
        EvidenceError
            If ``name`` is not a risk factor or finding, or ``state`` not one of its states.
        """
        dropdown = self._dropdown(name)
        states = [value for _, value in dropdown.options if value != _UNKNOWN_VALUE]
        if state not in states:
            raise EvidenceError(
                f"{state!r} is not a state of {name}; expected one of {sorted(states)}"
            )
        dropdown.value = state

    def set_soft(self, name: str, likelihood: float | Mapping[str, float]) -> None:
        """Soft evidence on ``name``, as its sliders set it.

        Parameters
        ----------
        name : str
            A risk factor or finding.
        likelihood : float or mapping of str to float
            On a yes/no variable, a float: the likelihood of what was seen if the answer is
            yes, against 1 minus it if no (0.5 removes the soft evidence). On any variable,
            a mapping: the likelihood of what was seen under each state, each in 0..1 (a
            state left out gets 0; all equal removes the soft evidence).

        Raises
        ------
        EvidenceError
            If ``name`` is not a risk factor or finding, a float is given for a variable that
            is not yes/no, a state is unknown, or a value is not in 0..1.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> view = gb.explorer(gb.load_model())
        >>> view.set_soft("sitting_effect", {"no_change": 0.3, "worse": 0.9, "relieved": 0.1})
        >>> sorted(view.soft["sitting_effect"].items())
        [('no_change', 0.3), ('relieved', 0.1), ('worse', 0.9)]
        """
        self._dropdown(name)
        states = list(self.model.states(name))
        if not isinstance(likelihood, Mapping):
            if name not in self._yes_no:
                raise EvidenceError(
                    f"a single likelihood in the explorer is for yes/no variables; {name!r} "
                    f"is not one of {self._yes_no}; give one likelihood per state of "
                    f"{name}: {states}"
                )
            _check_likelihood(likelihood)
            likelihood = {"yes": float(likelihood), "no": 1.0 - float(likelihood)}
        unknown = sorted(set(likelihood) - set(states))
        if unknown:
            raise EvidenceError(
                f"{unknown[0]!r} is not a state of {name}; expected one of {states}"
            )
        for value in likelihood.values():
            _check_likelihood(value)
        values = {state: float(likelihood.get(state, 0.0)) for state in states}
        self._store_soft(name, values)
        self._holding = True
        try:
            self.soft_variable.value = name
        finally:
            self._holding = False
        self._show_soft(name)
        self._update()

    def reset(self) -> None:
        """Set every variable back to "unknown" and remove the soft evidence."""
        self._holding = True
        try:
            for dropdown in self.dropdowns.values():
                dropdown.value = _UNKNOWN_VALUE
            self._soft.clear()
            self.soft_slider.value = 0.5
            for slider in self.soft_sliders.values():
                slider.value = 1.0
        finally:
            self._holding = False
        self._update()

    # -- rendering ----------------------------------------------------------------------------

    def snapshot_html(self) -> str:
        """The explorer as static HTML: the picture, the bars and the questions.

        Returns
        -------
        str
            Self-contained HTML (no script), what a notebook exported to HTML shows.
        """
        return (
            f'<div class="gluteal-bn-explorer-snapshot {self.network.snapshot_class}">'
            "<p><i>"
            + html.escape(
                self._t.gettext("A snapshot of the explorer (run the notebook to click the nodes).")
            )
            + "</i></p>"
            # a narrow page scrolls the picture sideways rather than shrink its text
            '<div style="overflow-x:auto"><div style="min-width:880px">'
            f"{self.network.svg}</div></div>"
            f"{self.answer.value}{self.bars.value}{self.questions.value}</div>"
        )

    def _dropdown(self, name: str) -> Any:
        if name not in self.dropdowns:
            raise EvidenceError(
                f"{name!r} is not a risk factor or finding of the model; expected one of "
                f"{list(self.dropdowns)}"
            )
        return self.dropdowns[name]

    def _on_message(self, _widget: Any, content: Any, _buffers: Any = None) -> None:
        if isinstance(content, Mapping) and content.get("click") in self.dropdowns:
            self.click(str(content["click"]))

    def _store_soft(self, name: str, values: dict[str, float]) -> None:
        """Keep ``values`` as the soft evidence on ``name``; all equal removes it."""
        if max(values.values()) - min(values.values()) < 1e-12:
            self._soft.pop(name, None)
        else:
            self._soft[name] = values

    def _show_soft(self, change: Any) -> None:
        """Show the sliders of the variable chosen for soft evidence, at its values."""
        widgets = import_widgets()
        name = change["new"] if isinstance(change, Mapping) else change
        if name is None:
            return
        t, vocabulary = self._t, self.model.vocabulary
        values = self._soft.get(name)
        yes_no = name in self._yes_no
        for slider in self.soft_sliders.values():  # the previous variable's
            slider.close()
        self._holding = True
        try:
            if yes_no:
                yes, no = (values["yes"], values["no"]) if values else (0.5, 0.5)
                if abs(yes + no - 1.0) > 1e-12:  # set as a mapping: the same ratio
                    yes = yes / (yes + no)
                self.soft_slider.value = yes
                self.soft_sliders = {}
            else:
                self.soft_sliders = {
                    state: widgets.FloatSlider(
                        value=values[state] if values else 1.0,
                        min=0.0,
                        max=1.0,
                        step=0.05,
                        description=t.state(vocabulary, name, state),
                        tooltip=t.state(vocabulary, name, state),
                        readout_format=".2f",
                        continuous_update=False,
                        style={"description_width": "120px"},
                        layout=widgets.Layout(width="380px"),
                    )
                    for state in self.model.states(name)
                }
                for slider in self.soft_sliders.values():
                    slider.observe(self._set_soft_states, names="value")
        finally:
            self._holding = False
        self.soft_slider.layout.display = None if yes_no else "none"
        self.soft_states.children = tuple(self.soft_sliders.values())
        help_text = (
            t.gettext(
                "Likelihood of what was seen if the answer is yes, against 1 minus it if "
                "no; 0.5 says nothing."
            )
            if yes_no
            else t.gettext(
                "Likelihood of what was seen under each state (0 rules the state out); "
                "equal values say nothing."
            )
        )
        self.soft_help.value = f"<small>{html.escape(help_text)}</small>"

    def _set_soft(self, change: Any) -> None:
        name = self.soft_variable.value
        if self._holding or name not in self._yes_no:
            return
        value = float(change["new"])
        self._store_soft(name, {"no": 1.0 - value, "yes": value})
        self._update()

    def _set_soft_states(self, _change: Any) -> None:
        if self._holding or self.soft_variable.value is None:
            return
        values = {state: float(slider.value) for state, slider in self.soft_sliders.items()}
        self._store_soft(self.soft_variable.value, values)
        self._update()

    def _update(self, _change: object = None) -> None:
        if self._holding:
            return
        evidence, soft = self.evidence, self.soft
        try:
            diagnosis = self.diagnosis
            marginals = self.model.query(self.model.variables, evidence, soft=soft or None)
            questions = self.model.next_questions(evidence, soft=soft or None)
        except EvidenceError as error:  # e.g. a combination the model calls impossible
            cannot = html.escape(self._t.gettext("Cannot answer:"))
            self.answer.value = f"<p><b>{cannot}</b> {html.escape(str(error))}</p>"
            self.bars.value = ""
            self.questions.value = ""
            self.question_buttons.children = ()
            self.network.svg = network_svg(self.model, None, evidence, soft, self._t)
            return
        best = diagnosis.most_likely
        # the bars last: once they show the new answer, everything else does too
        self.network.svg = network_svg(self.model, marginals, evidence, soft, self._t)
        self._show_questions(questions)
        t = self._t
        self.answer.value = (
            "<p>"
            + t.gettext("Most likely cause: {cause} ({probability})").format(
                cause=f"<b>{html.escape(t.variable(self.model.vocabulary, best))}</b>",
                probability=t.percent(diagnosis.posterior[best]),
            )
            + "</p>"
        )
        if soft:  # the bars' table lists the hard evidence; name the soft evidence here
            names = ", ".join(t.variable(self.model.vocabulary, name) for name in soft)
            self.answer.value += (
                "<p>"
                + html.escape(t.gettext("Soft evidence on: {variables}").format(variables=names))
                + "</p>"
            )
        self.bars.value = BARS_CSS + diagnosis._html(t.language)
        for handle in self._snapshots:
            handle.update({"text/html": self.snapshot_html()}, raw=True)

    def _show_questions(self, questions: Any) -> None:
        widgets = import_widgets()
        t, vocabulary = self._t, self.model.vocabulary
        top = questions.ranking.head(N_QUESTIONS)
        if top.empty:
            nothing = html.escape(t.gettext("Nothing left to ask."))
            self.questions.value = f"<p><b>{nothing}</b></p>"
            self.question_buttons.children = ()
            return
        gains = {
            name: t.gettext("{question}: {gain} bits").format(
                question=t.variable(vocabulary, name),
                gain=t.number(top.loc[name, "information_gain"]),
            )
            for name in top.index
        }
        self.questions.value = (
            "<p>"
            + t.gettext(
                "<b>Ask next</b> (expected information gain about the causes; click an answer)"
            )
            + "</p>"
            + "".join(f"<p>{html.escape(gain)}</p>" for gain in gains.values())
        )
        rows = []
        for name in top.index:
            buttons = []
            for state in self.model.states(name):
                words = t.state(vocabulary, name, state)
                button = widgets.Button(
                    description=words,
                    tooltip=f"{t.variable(vocabulary, name)}: {words}",
                    layout=widgets.Layout(width="auto"),
                )
                button.on_click(lambda _, n=name, s=state: self.answer_question(n, s))
                buttons.append(button)
            title = widgets.HTML(
                f"<span>{html.escape(gains[name])}</span>", layout=widgets.Layout(width="100%")
            )
            rows.append(
                widgets.HBox(
                    [title, *buttons],
                    layout=widgets.Layout(flex_flow="row wrap", margin="0 0 6px 0"),
                )
            )
        self.question_buttons.children = tuple(rows)

    def _ipython_display_(self) -> None:
        # Two outputs: the live widget, and a static snapshot that the widget hides when it
        # runs. A notebook exported to HTML keeps the widget's state but cannot run it
        # without the network; the snapshot (kept up to date as the user clicks) shows there.
        from IPython.display import display

        bundle = self._repr_mimebundle_()
        del bundle["text/html"]
        display(bundle, raw=True)
        self._snapshots.append(
            display({"text/html": self.snapshot_html()}, raw=True, display_id=True)
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle = bundle[0]
        bundle["text/plain"] = repr(self)  # where widgets cannot be shown
        bundle["text/html"] = self.snapshot_html()  # a notebook exported to HTML
        return bundle

    def __repr__(self) -> str:
        return f"Explorer({len(self.evidence)} of {len(self.dropdowns)} variables observed)"


def _check_likelihood(value: object) -> None:
    """Refuse a likelihood that is not a number in 0..1 (numpy numbers are numbers too)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise EvidenceError(f"likelihood {value!r} is not in 0..1")
    if not 0.0 <= float(value) <= 1.0:
        raise EvidenceError(f"likelihood {value!r} is not in 0..1")
