"""Changing a model's numbers: by index into ``model.numbers``, checked like the CSV files."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING

from ..errors import DataError
from ..io.numbers import specification_from_numbers
from ..io.specification import NetworkSpecification

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["replace_numbers"]


def replace_numbers(model: DiagnosticModel, values: Mapping[int, float]) -> NetworkSpecification:
    """The model's specification with ``numbers[index]`` set to ``value`` for each item."""
    numbers = list(model.numbers)
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
    return specification_from_numbers(model.folder, model.vocabulary, numbers)
