"""Figures as readers write them: a value with its unit or currency ("US$37.3 bn", "44%", "85,000"),
read once per build from ``kgapp/queries/ld/figure_units.rq`` for every page that shows one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kgapp import queries
from kgapp.readmodel.terms import text_of
from kgapp.store import KnowledgeStore

CURRENCY_SYMBOLS = {"USD": "US$", "HKD": "HK$", "GBP": "£", "EUR": "€", "CNY": "CN¥"}
SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


@dataclass(frozen=True)
class Unit:
    notation: str | None
    label: str | None


def units(store: KnowledgeStore) -> dict[str, Unit]:
    """Figure IRI → its unit, read once per build."""
    return store.memo(_read_units)


def _read_units(store: KnowledgeStore) -> dict[str, Unit]:
    return {
        row["figure"].value: Unit(text_of(row.get("notation")), text_of(row.get("label")))
        for row in store.select(queries.load("ld/figure_units"))
    }


def _plain(number: Decimal) -> str:
    """``37.3`` not ``37.30``, ``1,300`` not ``1300.0``."""
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def _scaled(number: Decimal) -> str:
    for size, suffix in SCALES:
        if abs(number) >= size:
            return f"{_plain((number / size).quantize(Decimal('0.1')))} {suffix}"
    return _plain(number)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def formatted(value: str, unit: Unit | None) -> str:
    """A figure's value with its unit; the value as it is when it is not a number."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if unit is None:
        return _plain(number)
    if unit.notation in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[unit.notation] + _scaled(number)
    if unit.notation == "%":
        return f"{_plain(number)}%"
    if unit.label == "rank" and number == number.to_integral_value():
        return _ordinal(int(number))
    if unit.notation:
        return f"{_scaled(number)} {unit.notation}"
    return _scaled(number) if unit.label != "count" else _plain(number)
