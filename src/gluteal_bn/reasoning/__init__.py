"""Diagnostic reasoning tools built on the compiled engine, one module per tool.

* :mod:`.next_question` — which unobserved variable to ask about next (information gain);
* :mod:`.explain` — each observed item's exact Shapley contribution to a cause's log-odds;
* :mod:`.mpe` — the most probable joint states of the causes;
* :mod:`.conflict` — Hugin's conflict measure for findings that do not fit together.

Users reach them through :class:`~gluteal_bn.model.DiagnosticModel` methods
(``next_questions``, ``explain``, ``most_probable_explanation``, ``conflict``); every tool
takes hard ``evidence`` and ``soft`` (likelihood) evidence as ``posterior`` does.
"""
