"""Reading and writing a model folder (variables.csv, priors.csv, likelihoods.csv).

:func:`read_folder` checks a folder (:mod:`gluteal_bn.io.specification`) and keeps every
number with its provenance (:mod:`gluteal_bn.io.numbers`); :func:`write_folder` writes one
back, each file atomically and floats exactly; :func:`bundled_data_folder` finds the folder
that ships with the package.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from ..errors import DataError
from ..vocabulary import Variable, Vocabulary
from .atomic import write_text_atomically
from .numbers import Number, likelihood_number, number_cells, prior_number
from .specification import (
    COLUMNS,
    LIKELIHOODS_FILE,
    PRIORS_FILE,
    VARIABLES_FILE,
    NetworkSpecification,
    likelihoods_from_rows,
    priors_from_rows,
    read_rows,
    read_variables,
)

__all__ = ["bundled_data_folder", "read_folder", "write_folder"]


def bundled_data_folder() -> Path:
    """The folder of CSV files that ships with the package.

    In an installed wheel the files sit inside the package; in a source checkout or an
    editable install they are the repository's ``data/`` folder, the single source of truth.
    """
    package = Path(__file__).resolve().parents[1]  # src/gluteal_bn (this file is in io/)
    for folder in (package / "data", package.parents[1] / "data"):
        if (folder / VARIABLES_FILE).is_file():
            return folder
    raise DataError(f"the bundled data folder is missing: looked in {package / 'data'}")


def read_folder(folder: str | Path) -> NetworkSpecification:
    """Read and check a model folder; raise DataError naming the first problem found."""
    folder = Path(folder)
    if folder.is_file():
        raise DataError(
            f"{folder} is a file; load_model expects the folder that holds {VARIABLES_FILE}, "
            f"{PRIORS_FILE} and {LIKELIHOODS_FILE}"
        )
    if not folder.is_dir():
        raise DataError(
            f"model folder not found: {folder} (expected a folder holding "
            f"{VARIABLES_FILE}, {PRIORS_FILE} and {LIKELIHOODS_FILE})"
        )
    vocabulary = read_variables(folder / VARIABLES_FILE)
    prior_rows = read_rows(folder / PRIORS_FILE)
    priors = priors_from_rows(prior_rows, folder / PRIORS_FILE, vocabulary)
    likelihood_rows = read_rows(folder / LIKELIHOODS_FILE)
    likelihoods = likelihoods_from_rows(likelihood_rows, folder / LIKELIHOODS_FILE, vocabulary)
    parameters = {**priors, **likelihoods}
    numbers = [prior_number(row, vocabulary) for row in prior_rows]
    numbers += [likelihood_number(row, vocabulary) for row in likelihood_rows]
    return NetworkSpecification(
        folder=folder,
        vocabulary=vocabulary,
        parameters=tuple(parameters[v.name] for v in vocabulary),
        numbers=tuple(numbers),
    )


# ---------------------------------------------------------------------------------------------
# Rows and cells


def write_folder(
    folder: str | Path,
    vocabulary: Vocabulary,
    numbers: Sequence[Number],
    *,
    overwrite: bool = False,
) -> Path:
    """Write variables.csv, priors.csv and likelihoods.csv into ``folder``, each atomically.

    Each file is written to a temporary file in the folder, then renamed over the target, so a
    reader never sees half a file. Floats are written with ``repr`` (shortest exact form).
    The ``sample_size`` column is written only when some number has one. Existing model files
    are replaced only with ``overwrite=True``, and the bundled data folder never.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"cannot save a model into {folder}: it is a file, not a folder")
    if folder.is_dir() and folder.resolve() == bundled_data_folder().resolve():
        raise DataError(
            f"refusing to overwrite the bundled data folder {folder}; save to another folder "
            "(edit the CSV files themselves to change the shipped numbers)"
        )
    existing = [name for name in COLUMNS if (folder / name).exists()]
    if existing and not overwrite:
        raise DataError(
            f"{folder} already holds {', '.join(existing)}; pass overwrite=True to replace them"
        )
    folder.mkdir(parents=True, exist_ok=True)
    with_sizes = any(n.sample_size is not None for n in numbers)
    tables = {
        VARIABLES_FILE: (COLUMNS[VARIABLES_FILE], [_variable_cells(v) for v in vocabulary]),
        PRIORS_FILE: (
            COLUMNS[PRIORS_FILE] + (("sample_size",) if with_sizes else ()),
            [number_cells(n) for n in numbers if n.file == PRIORS_FILE],
        ),
        LIKELIHOODS_FILE: (
            COLUMNS[LIKELIHOODS_FILE] + (("sample_size",) if with_sizes else ()),
            [number_cells(n) for n in numbers if n.file == LIKELIHOODS_FILE],
        ),
    }
    for name, (header, rows) in tables.items():
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([row[column] for column in header] for row in rows)
        write_text_atomically(folder / name, text.getvalue())
    return folder


def _variable_cells(variable: Variable) -> dict[str, str]:
    return {
        "variable": variable.name,
        "role": variable.role,
        "states": "|".join(variable.states),
        "model": variable.model,
        "label": variable.label,
        "description": variable.description,
    }
