"""A CSV file of cases (evidence, and truth columns for evaluation) read as text.

Blanks are what ``score`` reads as "not observed": an empty cell and the missing markers
``NA``, ``N/A``, ``null``, ``NaN``, ``#N/A`` in any case (:data:`MISSING_MARKERS`), so one
file means the same to both commands. Nothing else is: a state may be called ``none``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .scoring.common import MISSING_MARKERS

__all__ = ["MISSING_MARKERS", "read_case_table"]


def read_case_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A CSV file of cases as text; empty cells and missing markers (``NA``...) are blank.

    Parameters
    ----------
    path : path
        A CSV file with a header line.

    Returns
    -------
    pandas.DataFrame
        Every cell as text, blanks (an empty cell, or one of :data:`MISSING_MARKERS` in any
        case) as NaN; the index is each row's line number in the file.

    Raises
    ------
    DataError
        If the file is missing, unreadable or has no header.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from gluteal_bn.io.case_table import read_case_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.csv"
    >>> _ = path.write_text("fever,radiation\\nyes,none\\nNA,thigh\\n")
    >>> table = read_case_table(path)
    >>> table.loc[2, "radiation"], bool(table["fever"].isna()[3])
    ('none', True)
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found (a CSV file of cases with a header line)", path=path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise DataError(
            "is empty; expected a header line and one case per line", path=path
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"is not a readable CSV file ({error})", path=path) from None
    # pandas' own NA list is off: it holds "None", and a state may be called none
    table = table.mask(table.apply(lambda column: column.str.lower().isin(MISSING_MARKERS)))
    # Rows are labelled by their line in the file (the header is line 1), so that an error
    # about "row 7" points at line 7.
    table.index = pd.RangeIndex(2, len(table) + 2, name="line")
    return table
