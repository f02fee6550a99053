"""Cited time parameters (``routes/parameters.csv``) and the time of each leg, border and transshipment.

Rows sharing a key are taken as their envelope (lowest low, highest high), so a time is always a range and each
bound keeps its source. Which rows apply, most specific first: ``applies_to`` a segment, then a node, then a
corridor; then ``iso3`` (a country for speeds, a pair ``AZE-GEO`` for borders); then the mode-wide default.
A leg or a transfer with no applicable row has no time: it is left out of routing and named when that cuts a
route (:class:`Missing`), never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..load import Atlas
from ..measure import SEA
from .graph import Crossing, Leg

#: Unit → factor to days (dwell) or to km/day (speed).
TO_DAYS = {"h": 1 / 24, "day": 1.0, "days": 1.0}
TO_KM_PER_DAY = {"km/h": 24.0, "km/day": 1.0}


@dataclass(frozen=True)
class Span:
    """A time in days as a range, with the parameter rows it comes from."""

    low: float
    high: float
    ids: frozenset[str] = frozenset()

    def __add__(self, other: Span) -> Span:
        return Span(self.low + other.low, self.high + other.high, self.ids | other.ids)

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


ZERO = Span(0.0, 0.0)


@dataclass(frozen=True)
class Missing:
    """A parameter that no row of routes/parameters.csv gives: what, for which leg, node or crossing."""

    parameter: str
    what: str

    def __str__(self) -> str:
        return f"no {self.parameter} for {self.what}"


@dataclass(frozen=True)
class Row:
    """One parameter row in base units: ``lo``/``hi`` in km/day (speeds) or days (dwell)."""

    id: str
    parameter: str
    mode: str
    iso3: str
    applies_to: str
    lo: float
    hi: float


class Parameters:
    """The parameter table, with lookups by specificity (plain records: a build looks up a few hundred times)."""

    def __init__(self, table: pd.DataFrame):
        rows = table.copy()
        for column in ("mode", "iso3", "applies_to"):
            rows[column] = rows[column].fillna("").astype(str).str.strip()
        self.rows = rows
        self.by_parameter: dict[str, list[Row]] = {}
        for r in rows.to_dict("records"):
            factor = (TO_KM_PER_DAY if r["parameter"] == "speed" else TO_DAYS).get(r["unit"])
            if factor is None:
                continue  # validate() reports the unit
            row = Row(r["id"], r["parameter"], r["mode"], r["iso3"], r["applies_to"], float(r["low"]) * factor,
                      float(r["high"]) * factor)
            self.by_parameter.setdefault(row.parameter, []).append(row)

    def sources(self, ids: Iterable[str]) -> pd.DataFrame:
        """The rows *ids* (id, parameter, low, high, unit, source, quote), in table order."""
        wanted = set(ids)
        return self.rows[self.rows["id"].isin(wanted)]

    def lookup(self, parameter: str, *, segment: Iterable[str] = (), nodes: Iterable[str] = (),
               corridors: Iterable[str] = (), iso3: Iterable[str] = (), modes: Iterable[str] | None = None
               ) -> tuple[float, float, frozenset[str]] | None:
        """The envelope of the most specific rows of *parameter* that apply, or ``None``.

        *modes*: rows whose mode is one of these (or empty) apply; ``None``: any mode. *iso3*: the codes a row's
        ``iso3`` may be (empty ``iso3`` always applies)."""
        wanted_modes = None if modes is None else {*modes, ""}
        codes = {*iso3, ""}
        rows = [r for r in self.by_parameter.get(parameter, ())
                if (wanted_modes is None or r.mode in wanted_modes) and r.iso3 in codes]
        for targets in (set(segment), set(nodes), set(corridors), {""}):
            hit = [r for r in rows if r.applies_to in targets]
            if hit:
                named = [r for r in hit if r.iso3] or hit  # a row naming the country (pair) over one naming none
                return min(r.lo for r in named), max(r.hi for r in named), frozenset(r.id for r in named)
        return None


def pair_keys(a: str, b: str) -> tuple[str, str]:
    return f"{a}-{b}", f"{b}-{a}"


def parameters_of(atlas: Atlas) -> Parameters:
    """The atlas's ``routes/parameters.csv`` (checked by :func:`corridormap.validate`)."""
    return Parameters(atlas.parameters)


def speed_span(params: Parameters, leg: Leg) -> Span | Missing:
    """Running time of *leg*: km per country over the speed that applies to that country's kilometres."""
    total = ZERO
    for iso3, km in leg.km_by_country.items():
        country = () if iso3 == SEA else (iso3,)
        found = params.lookup("speed", segment=leg.ids, corridors=leg.drawn_by, iso3=country, modes=[leg.mode])
        if found is None or found[0] <= 0:
            return Missing("speed", f"{leg.mode} on {leg.id}{f' in {iso3}' if country else ''}")
        low_speed, high_speed, ids = found
        total = total + Span(km / high_speed, km / low_speed, ids)
    return total


def ferry_span(params: Parameters, leg: Leg) -> Span | Missing:
    """A sea leg: the ferry crossing time (else km over the sea speed) plus the wait for a vessel."""
    where = {"segment": leg.ids, "nodes": (leg.start, leg.end), "corridors": leg.drawn_by}
    crossing = params.lookup("ferry", **where)
    run = speed_span(params, leg) if crossing is None else Span(*crossing)
    if isinstance(run, Missing):
        return Missing("ferry crossing time (or sea speed)", leg.id)
    wait = params.lookup("ferry_wait", **where)
    if wait is None:
        return Missing("ferry_wait", leg.id)
    return run + Span(*wait)


def border_span(params: Parameters, leg: Leg, crossing: Crossing) -> Span | Missing:
    """Dwell at a land border crossing of *leg* (a ferry's formalities are in its ports' dwell)."""
    if crossing.ferry:
        return ZERO
    found = params.lookup("border", nodes=(crossing.node,), iso3=pair_keys(crossing.a, crossing.b),
                          modes=[leg.mode])
    if found is None:
        return Missing("border", f"{crossing.a}–{crossing.b} at {crossing.node} ({leg.id})")
    return Span(*found)


def leg_span(params: Parameters, leg: Leg) -> Span | Missing:
    """Everything a leg costs on its own: running (or ferry) time and its border crossings."""
    parts = [ferry_span(params, leg) if leg.mode == "sea" else speed_span(params, leg),
             *(border_span(params, leg, c) for c in leg.crossings)]
    total = ZERO
    for part in parts:
        if isinstance(part, Missing):
            return part
        total = total + part
    return total


def transshipment_span(params: Parameters, node: str, a: str, b: str) -> Span | Missing:
    """Dwell where the cargo changes from mode *a* to mode *b* at *node*."""
    found = params.lookup("transshipment", nodes=(node,), modes=[a, b])
    if found is None:
        return Missing("transshipment", f"{a}↔{b} at {node}")
    return Span(*found)
