"""Changing a model's numbers: by index into ``model.numbers``, checked like the CSV files."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from numbers import Real

from ..errors import DataError
from ..io.numbers import specification_from_numbers
from ..io.specification import NetworkSpecification

__all__ = ["replace_numbers"]


def replace_numbers(
    specification: NetworkSpecification, values: Mapping[int, float]
) -> NetworkSpecification:
    """A specification with ``numbers[index]`` set to ``value`` for each item.

    Parameters
    ----------
    specification : NetworkSpecification
        The numbers to start from (``model.specification``).
    values : mapping of int to float
        New values by position in ``specification.numbers``.

    Returns
    -------
    NetworkSpecification
        Checked exactly as the CSV files are.

    Raises
    ------
    DataError
        For an index that is not a position in the numbers, a value that is not finite, or
        numbers that fail the files' checks (naming the file and line).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> specification = gb.load_model().specification
    >>> same = replace_numbers(specification, {0: specification.numbers[0].value})
    >>> same.numbers == specification.numbers
    True
    """
    numbers = list(specification.numbers)
    if not isinstance(values, Mapping):
        raise DataError(
            "with_numbers needs a mapping of number index to new value, such as {3: 0.2} "
            f"(indices are positions in model.numbers); got {type(values).__name__}"
        )
    for index, value in values.items():
        if isinstance(index, bool) or not isinstance(index, int):
            raise DataError(
                f"number index {index!r} is not an integer; use positions in model.numbers "
                f"(0 to {len(numbers) - 1})"
            )
        if not 0 <= index < len(numbers):
            raise DataError(
                f"number index {index} is out of range; model.numbers has {len(numbers)} "
                f"numbers (0 to {len(numbers) - 1})"
            )
        if isinstance(value, bool) or not isinstance(value, Real):
            raise DataError(
                f"new value {value!r} for {numbers[index].label} is not a number; give a float"
            )
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float, e.g. 10**400
            number = math.inf
        if not math.isfinite(number):
            raise DataError(f"new value {value!r} for {numbers[index].label} is not finite")
        numbers[index] = dataclasses.replace(numbers[index], value=number)
    return specification_from_numbers(specification.folder, specification.vocabulary, numbers)
