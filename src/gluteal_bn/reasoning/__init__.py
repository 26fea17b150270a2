"""Diagnostic reasoning tools built on the compiled engine, one module per tool.

* :mod:`.next_question` — which unobserved variable to ask about next (information gain);
* :mod:`.explain` — each observed item's exact Shapley contribution to a cause's log-odds;
* :mod:`.mpe` — the most probable joint states of the causes;
* :mod:`.conflict` — Hugin's conflict measure for findings that do not fit together;
* :mod:`.parameters` — the CSV numbers as addressable parameters, and models rebuilt with some
  of them changed;
* :mod:`.sensitivity` — one-way sensitivity of a posterior to every number, and tipping points;
* :mod:`.uncertainty` — credible intervals for posteriors from uncertainty in the numbers;
* :mod:`.learning` — updating the numbers from case data (MAP, EM for missing values).

Users reach them through :class:`~gluteal_bn.model.DiagnosticModel` methods
(``next_questions``, ``explain``, ``most_probable_explanation``, ``conflict``,
``sensitivity``, ``tipping_points``, ``posterior_interval``, ``fit``).
"""
