"""Rows of a model folder's files -> checked canonical parameters; every problem a DataError.

A model folder holds three files (``data/README.md`` documents them for people):

* ``variables.csv`` — each variable's role, ordered states, canonical model and label;
* ``priors.csv`` — risk-factor distributions, and each cause's baseline probability with the
  odds ratios of its risk factors;
* ``likelihoods.csv`` — for each finding, P(finding | this cause alone) per parent cause and
  P(finding | no cause), the leak.

Everything is checked here, once, and the result is a :class:`NetworkSpecification` of
canonical parameters that the rest of the package trusts. Reading and writing the folder is
:mod:`gluteal_bn.io.model_folder`; the numbers with their provenance are
:mod:`gluteal_bn.io.numbers`.
"""

from __future__ import annotations

# Imported from here by the rest of io/ and the tests, though not in the public list:
from .common import ALIAS_COLUMNS as ALIAS_COLUMNS
from .common import ALIASES_FILE as ALIASES_FILE
from .common import (
    COLUMNS,
    LEAK,
    LIKELIHOODS_FILE,
    PRIORS_FILE,
    SUM_TOLERANCE,
    VARIABLES_FILE,
    NetworkSpecification,
    read_rows,
)
from .common import MEASURES as MEASURES
from .common import OPTIONAL_COLUMNS as OPTIONAL_COLUMNS
from .likelihoods import _check_expands_to_distributions as _check_expands_to_distributions
from .likelihoods import likelihoods_from_rows
from .priors import priors_from_rows
from .variables import read_aliases, read_variables

__all__ = [
    "COLUMNS",
    "LEAK",
    "LIKELIHOODS_FILE",
    "PRIORS_FILE",
    "SUM_TOLERANCE",
    "VARIABLES_FILE",
    "NetworkSpecification",
    "likelihoods_from_rows",
    "priors_from_rows",
    "read_aliases",
    "read_rows",
    "read_variables",
]
