"""The catalogue of every string a person reads, in English and Russian.

English is the source language: each string is written in English in the code, marked as
``t.gettext("...")`` (or ``t.pgettext(context, "...")``) on a :class:`Translation`, and the
English text is the gettext *msgid*. Each other language is one gettext ``.po`` file in this
folder (``ru.po``), the format every translation tool reads (Poedit, Weblate, Babel,
``msgfmt``). The variables' and states' labels from ``variables.csv`` are msgids too, so a
label is translated wherever it appears (plots, tables, the command line); JSON keeps the
identifiers.

The ``.po`` files are read by a small parser (:func:`read_po`) instead of compiled ``.mo``
files: there is no build step to forget, nothing binary in the repository, and no tool is
needed at run time; Babel or gettext's own tools stay optional tools for translators. The
standard :class:`gettext.NullTranslations` interface is kept (``gettext``, ``pgettext``,
``ngettext``, ``install``), so the result also plugs into code that expects gettext.

The language is, in order: the ``language`` argument of the function that draws or
formats; the ``GLUTEAL_BN_LANG`` environment variable; the locale's language
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them); English.

Numbers are formatted here too (:meth:`Translation.percent`, :meth:`Translation.number`), so
that what a person reads is rounded once, the same way everywhere: no ``-0.0%``, no
``1e-16``; Russian writes a decimal comma and a space before the percent sign.

Examples
--------
>>> from gluteal_bn.i18n import translation
>>> ru = translation("ru")
>>> ru.gettext("posterior")
'апостериорная'
>>> ru.percent(0.1234), translation("en").percent(-1e-17, signed=True)
('12,3\\xa0%', '0.0%')
"""

from __future__ import annotations

import ast
import gettext
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "LANGUAGES",
    "N_",
    "Translation",
    "read_po",
    "resolve_language",
    "translation",
]

#: The languages a catalogue ships for; English is the source language.
LANGUAGES: tuple[str, ...] = ("en", "ru")

#: The environment variable that chooses the language when no argument does.
ENVIRONMENT_VARIABLE = "GLUTEAL_BN_LANG"

_FOLDER = Path(__file__).parent
_CONTEXT_SEPARATOR = "\x04"  # how gettext joins msgctxt and msgid


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (gettext's ``gettext_noop``).

    For strings kept in tables and translated later, where they are shown.

    Parameters
    ----------
    message : str

    Returns
    -------
    str
        ``message`` unchanged.

    Examples
    --------
    >>> N_("Causes")
    'Causes'
    """
    return message


def resolve_language(language: str | None = None) -> str:
    """The language to use: the argument, else ``GLUTEAL_BN_LANG``, else the locale, else English.

    Parameters
    ----------
    language : str, optional
        A language code such as ``"ru"``, ``"en"`` or ``"ru_RU.UTF-8"`` (only the language
        part counts).

    Returns
    -------
    str
        One of :data:`LANGUAGES`.

    Raises
    ------
    ValueError
        If ``language`` (or ``GLUTEAL_BN_LANG``) names a language with no catalogue. A
        locale with no catalogue falls back to English silently.

    Examples
    --------
    >>> resolve_language("ru_RU.UTF-8")
    'ru'
    """
    if language is not None:
        return _known(language, "language")
    chosen = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if chosen:
        return _known(chosen, ENVIRONMENT_VARIABLE)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            for candidate in value.split(":"):
                code = _code(candidate)
                if code in LANGUAGES:
                    return code
            break  # gettext stops at the first variable that is set
    return "en"


def _code(value: str) -> str:
    return re.split(r"[_.@-]", value.strip().lower(), maxsplit=1)[0]


def _known(value: str, where: str) -> str:
    code = _code(str(value))
    if code not in LANGUAGES:
        raise ValueError(
            f"{where}={value!r} is not a language with a catalogue; expected one of "
            f"{list(LANGUAGES)}"
        )
    return code


def read_po(path: str | os.PathLike[str]) -> dict[str, str]:
    """The translated messages of a gettext ``.po`` file, keyed as gettext keys them.

    A key is the msgid, or ``msgctxt + "\\x04" + msgid`` for a message with a context (as
    in compiled ``.mo`` files). Entries marked ``#, fuzzy`` and empty translations are left
    out, so they fall back to English. Plural forms are not used by this package.

    Parameters
    ----------
    path : path-like
        A UTF-8 ``.po`` file.

    Returns
    -------
    dict of str to str
        msgid (with context) to translation; the header entry (empty msgid) is left out.

    Raises
    ------
    ValueError
        For a line that is not part of a gettext entry, or a msgid defined twice (as
        ``msgfmt`` refuses it), naming the file and line.

    Examples
    --------
    >>> from gluteal_bn.i18n import read_po, _FOLDER
    >>> read_po(_FOLDER / "ru.po")["prior"]
    'априорная'
    """
    path = Path(path)
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    field: str | None = None

    seen: dict[str, int] = {}
    start = 0

    def finish() -> None:
        nonlocal entry, fuzzy, field
        msgid, msgstr = entry.get("msgid"), entry.get("msgstr")
        if msgid:
            context = entry.get("msgctxt")
            key = msgid if context is None else context + _CONTEXT_SEPARATOR + msgid
            if key in seen:
                raise ValueError(
                    f"{path} line {start}: msgid {msgid!r} is defined twice (first on line "
                    f"{seen[key]}); keep one translation"
                )
            seen[key] = start
            if msgstr and not fuzzy:
                messages[key] = msgstr
        entry, fuzzy, field = {}, False, None

    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#"):
            if "msgid" in entry:
                finish()
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
        elif line.startswith('"') and field is not None:
            entry[field] += _string(line, path, number)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword not in ("msgctxt", "msgid", "msgstr") or not rest.startswith('"'):
                raise ValueError(f"{path} line {number}: not a gettext entry line: {raw!r}")
            if keyword in entry or (keyword == "msgctxt" and "msgid" in entry):
                finish()
            if not entry:
                start = number
            field = keyword
            entry[field] = _string(rest, path, number)
    finish()
    return messages


def _string(text: str, path: Path, number: int) -> str:
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = None
    if not isinstance(value, str) or not text.startswith('"'):
        raise ValueError(f"{path} line {number}: not a quoted string: {text!r}")
    return value


class Translation(gettext.NullTranslations):
    """One language's catalogue, with the number formats and label look-ups that go with it.

    Get one with :func:`translation` rather than building it.

    Parameters
    ----------
    language : str
        One of :data:`LANGUAGES`.
    messages : mapping of str to str
        The catalogue, as returned by :func:`read_po` (empty for English).

    Examples
    --------
    >>> t = translation("ru")
    >>> t.pgettext("state", "yes"), t.language
    ('да', 'ru')
    """

    def __init__(self, language: str, messages: Mapping[str, str]) -> None:
        super().__init__()
        self.language = language
        self._messages = dict(messages)
        self._decimal = "," if language == "ru" else "."
        self._percent_sign = "\u00a0%" if language == "ru" else "%"

    def __repr__(self) -> str:
        return f"Translation({self.language!r}, {len(self._messages)} messages)"

    def gettext(self, message: str) -> str:
        """The translation of ``message``, or ``message`` itself when there is none."""
        return self._messages.get(message, message)

    def marked(self, message: str) -> str:
        """The translation of a message marked with :func:`N_` where it was written."""
        return self.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        """The translation of ``message`` in ``context``; without one, as :meth:`gettext`."""
        key = context + _CONTEXT_SEPARATOR + message
        return self._messages.get(key, self.gettext(message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """English plural choice, translated (the catalogue holds no plural forms)."""
        return self.gettext(msgid1 if n == 1 else msgid2)

    # -- what a person reads -------------------------------------------------------------------

    def number(self, value: float, decimals: int = 2, *, signed: bool = False) -> str:
        """A number rounded for reading: ``decimals`` places, never ``-0.00`` or ``1e-16``.

        Parameters
        ----------
        value : float
        decimals : int, default 2
        signed : bool, default False
            Write ``+`` before positive numbers (zero gets no sign).

        Returns
        -------
        str

        Examples
        --------
        >>> translation("en").number(-1.665e-16, signed=True)
        '0.00'
        """
        value = float(value)
        if value != value:  # NaN
            return "–"
        if value in (float("inf"), float("-inf")):
            return "−∞" if value < 0 else "+∞" if signed else "∞"
        rounded = round(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        if rounded == 0:
            rounded = 0.0
        sign = "+" if signed and rounded > 0 else ""
        return f"{sign}{rounded:.{decimals}f}".replace(".", self._decimal)

    def percent(self, probability: float, *, signed: bool = False, decimals: int = 1) -> str:
        """A probability in percent, rounded for reading (exactly 1 reads ``100%``).

        Parameters
        ----------
        probability : float
            Between 0 and 1 (a change of probability for ``signed``).
        signed : bool, default False
            Write ``+`` before increases and ``−`` before decreases; zero has no sign.
        decimals : int, default 1

        Returns
        -------
        str

        Examples
        --------
        >>> en = translation("en")
        >>> en.percent(1.0), en.percent(0.12345), en.percent(-0.00001, signed=True)
        ('100%', '12.3%', '0.0%')
        """
        if probability == 1 and not signed:
            return "100" + self._percent_sign
        return self.number(100 * probability, decimals, signed=signed) + self._percent_sign

    def variable(self, vocabulary: Vocabulary, name: str) -> str:
        """A variable's label, translated (``variables.csv``'s ``label`` is the msgid).

        An evidence alias (``aliases.csv``) is shown by its own name, in words.
        """
        if name in vocabulary.alias_of and name not in vocabulary.names:
            return self.pgettext("variable", name.replace("_", " ").capitalize())
        return self.pgettext("variable", vocabulary[name].label)

    def state(self, vocabulary: Vocabulary, name: str, state: str) -> str:
        """A state's label, translated (``variables.csv``'s ``state_labels`` are msgids)."""
        if name in vocabulary.alias_of and name not in vocabulary.names:
            return self.pgettext("state", state)
        return self.pgettext("state", vocabulary.state_label(name, state))

    def label(self, english: str) -> str:
        """A variable label given in English (as results carry it), translated."""
        return self.pgettext("variable", english)

    def state_label(self, english: str) -> str:
        """A state label given in English, translated."""
        return self.pgettext("state", english)

    def number_text(self, vocabulary: Vocabulary, number: Any) -> str:
        """One number of the model's CSV files in words, e.g. ``P(Fever: yes | Gluteal …)``.

        Parameters
        ----------
        vocabulary : Vocabulary
        number : Number
            From :attr:`DiagnosticModel.numbers` (``kind``, ``variable``, ``state``,
            ``parent``, ``parent_state``).

        Returns
        -------
        str

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> smoker = next(n for n in model.numbers if n.kind == "odds_ratio")
        >>> translation("en").number_text(model.vocabulary, smoker)
        'OR(Lower-spine disease: present | Age group: 40-60 years)'
        """
        item = self._item(vocabulary, number.variable, number.state)
        if number.kind == "odds_ratio":
            given = self._item(vocabulary, number.parent, number.parent_state)
            return self.gettext("OR({item} | {given})").format(item=item, given=given)
        if number.kind == "baseline":
            return self.gettext("P({item} | risk factors at reference)").format(item=item)
        if number.kind == "leak":
            return self.gettext("P({item} | no cause (leak))").format(item=item)
        if number.kind == "cause_alone":
            parent, _, state = str(number.parent).partition("=")
            cause = (
                self._item(vocabulary, parent, state)
                if state
                else self.variable(vocabulary, parent)
            )
            return self.gettext("P({item} | {cause} alone)").format(item=item, cause=cause)
        return self.gettext("P({item})").format(item=item)

    def _item(self, vocabulary: Vocabulary, name: str, state: str) -> str:
        if name in vocabulary and state in vocabulary[name].states:
            return f"{self.variable(vocabulary, name)}: {self.state(vocabulary, name, state)}"
        return f"{name}={state}"

    def evidence(
        self,
        vocabulary: Vocabulary,
        evidence: Mapping[str, str],
        soft: Mapping[str, object] | None = None,
    ) -> str:
        """Evidence in words: ``Fever: yes; Age group: over 60 years``.

        Parameters
        ----------
        vocabulary : Vocabulary
        evidence : mapping of str to str
            Observed states by variable name.
        soft : mapping, optional
            Variables with soft (likelihood) evidence: named with "uncertain".

        Returns
        -------
        str
            ``"no evidence"`` (translated) when there is none.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> v = gb.load_model().vocabulary
        >>> translation("ru").evidence(v, {"fever": "yes", "age": "over_60"})
        'Лихорадка: да; Возрастная группа: старше 60 лет'
        """
        parts = [
            f"{self.variable(vocabulary, name)}: {self.state(vocabulary, name, state)}"
            for name, state in evidence.items()
        ]
        parts += [
            self.gettext("{variable}: uncertain").format(variable=self.variable(vocabulary, name))
            for name in (soft or {})
        ]
        return "; ".join(parts) or self.gettext("no evidence")


@cache
def _load(language: str) -> Translation:
    path = _FOLDER / f"{language}.po"
    return Translation(language, read_po(path) if path.is_file() else {})


def translation(language: str | None = None) -> Translation:
    """The catalogue of ``language`` (see :func:`resolve_language` for the default).

    Parameters
    ----------
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

    Returns
    -------
    Translation
        Read once per language and kept.

    Raises
    ------
    ValueError
        If ``language`` names a language with no catalogue.

    Examples
    --------
    >>> translation("ru").gettext("observed")
    'наблюдается'
    """
    return _load(resolve_language(language))
