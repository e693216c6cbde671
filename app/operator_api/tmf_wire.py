"""What every TM Forum answer shares, as pydantic models: references, Money, quantities and
the list of entities. Each area's own models (wire_lines.py, wire_catalog.py, …) build on
these; the value ranges are app/operator_api/wire_values.py's.

Money is read from the JSON number's text as a Decimal (pydantic parses a JSON number into a
Decimal field from its digits, never through a binary float), so 0.10 stays 0.10.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel

from models.domain import Money

# Amounts a console can show: finite, at most a trillion, to the kopeck (the operator may write
# fewer decimals, never more).
Amount = Decimal

# Models and adapters build their validators on first use, not at import: a command reads a
# few of the console's ~100 wire shapes, and building all of them cost most of its start-up.
DEFERRED = ConfigDict(defer_build=True)
_Item = TypeVar("_Item")


class TmfList(RootModel[_Item], Generic[_Item]):
    """A JSON array answer (`class TmfUsages(TmfList[list[TmfUsage]])`). Parametrizing
    pydantic's RootModel itself builds the whole validator at import; this one defers it."""

    model_config = DEFERRED


class TmfWire(BaseModel):
    """A TMF entity or part of one: attributes the console does not read are ignored (a BSS
    sends far more than the console needs), attributes it reads are checked."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True,
                              defer_build=True)


class TmfRef(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    name: str | None = None


class TmfMoney(TmfWire):
    """TMF `Money`: `{"unit": "RUB", "value": 450.0}`."""

    unit: str = Field(pattern=r"^[A-Z]{3}$")
    value: Decimal = Field(max_digits=14, decimal_places=2, allow_inf_nan=False,
                           ge=-10**12, le=10**12)

    def domain(self) -> Money:
        return Money(self.value, self.unit)


class TmfQuantity(TmfWire):
    """TMF `Quantity`: `{"amount": 250, "units": "min"}`."""

    amount: Decimal = Field(max_digits=19, decimal_places=6, allow_inf_nan=False,
                            ge=-10**12, le=10**12)
    units: str = Field(max_length=40)


class TmfIds(TmfList[list[TmfRef]]):
    """A list answer read for its entities' ids (`?fields=id`)."""
