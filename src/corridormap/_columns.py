"""Column-wise checks of tables (a million rows in well under a second), with the messages of row-by-row checks.

A predicate on text runs once per distinct value (categorical columns and repeated vocabularies have few), a
pattern on a column of mostly distinct values (``value``) runs in Arrow's regex engine. Problems come out in the
order the row-by-row checks gave them: within a check by row, and where one pass checked several fields of a row
(:func:`interleave`), row by row and field by field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._errors import Problem, found


def arrow_strings(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow string array behind *series* (no copy), or ``None`` when it is not Arrow-backed text."""
    if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype != "str":
        return None
    try:
        arr = pa.array(series.array)
    except (TypeError, pa.ArrowInvalid):
        return None
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) else None


def flags(series: pd.Series, predicate: Callable[[str], bool]) -> np.ndarray:
    """``predicate(value)`` for every row, evaluated once per distinct value."""
    if len(series) == 0:
        return np.zeros(0, dtype=bool)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    per_value = np.fromiter((bool(predicate(u)) for u in uniques), dtype=bool, count=len(uniques))
    return per_value[codes]


def regex_flags(series: pd.Series, pattern: str, *, search: bool = True) -> np.ndarray:
    """Rows whose text matches *pattern* (searched anywhere, or matched at the start with ``search=False``): in
    Arrow's RE2 for mostly distinct text, else with Python's ``re`` once per distinct value. *pattern* must mean the
    same in both (plain classes and anchors)."""
    arr = arrow_strings(series)
    if arr is not None and len(series) > 10_000:
        hit = pc.match_substring_regex(arr, pattern if search else "^(?:" + pattern.lstrip("^") + ")")
        return np.asarray(hit.fill_null(False), dtype=bool)
    compiled = re.compile(pattern)
    test = compiled.search if search else compiled.match
    return flags(series, lambda v: isinstance(v, str) and test(v) is not None)


def row_numbers(table: pd.DataFrame) -> np.ndarray:
    return table["row"].to_numpy()


def problems_at(file: str, table: pd.DataFrame, mask: np.ndarray, field: str, expected: str,
                shown: pd.Series | None = None) -> list[Problem]:
    """One problem per row in *mask*: ``file:row N: field: expected …, found <the row's value>``."""
    if not mask.any():
        return []
    values = (table[field] if shown is None else shown)[mask]
    return [Problem(file, f"row {r}", field, expected, found(v)) for r, v in zip(row_numbers(table)[mask], values)]


def interleave(groups: list[list[tuple[int, Problem]]]) -> list[Problem]:
    """Problems of several per-row checks (each a list of (row position, problem) in row order), merged as a
    row-by-row pass checking each field in turn would have listed them."""
    keyed = [(pos, k, i, p) for k, group in enumerate(groups) for i, (pos, p) in enumerate(group)]
    keyed.sort(key=lambda t: t[:3])
    return [p for *_, p in keyed]


def positioned(file: str, table: pd.DataFrame, mask: np.ndarray, field: str,
               expected: str) -> list[tuple[int, Problem]]:
    positions = np.flatnonzero(mask)
    return list(zip(positions.tolist(), problems_at(file, table, mask, field, expected)))


# --- the checks every table shares ---------------------------------------------------------------------------

def empty(series: pd.Series) -> np.ndarray:
    return np.asarray(series == "", dtype=bool)


def check_required(file: str, table: pd.DataFrame, fields: Iterable[str]) -> list[Problem]:
    """``field: expected a value, found an empty value``, row by row and field by field."""
    fields = tuple(fields)
    if not len(table) or not fields:
        return []
    grid = np.column_stack([empty(table[f]) for f in fields])
    rows, cols = np.nonzero(grid)  # row-major: the order of a row-by-row pass
    numbers = row_numbers(table)
    return [Problem(file, f"row {numbers[r]}", fields[c], "a value", found("")) for r, c in zip(rows, cols)]


def check_vocab(file: str, table: pd.DataFrame, field: str, vocab: Iterable[str]) -> list[Problem]:
    vocab = tuple(vocab)
    known = frozenset(vocab)
    mask = flags(table[field], lambda v: bool(v) and v not in known)
    return problems_at(file, table, mask, field, f"one of {', '.join(vocab)}")


def check_pattern(file: str, table: pd.DataFrame, field: str, pattern: re.Pattern[str], expected: str,
                  *, optional: bool = False) -> list[Problem]:
    """Non-empty values of *field* that *pattern* does not match (empty ones are the required check's)."""
    mask = flags(table[field], lambda v: bool(v) and not pattern.match(v))
    return problems_at(file, table, mask, field, expected)


def check_unique(file: str, table: pd.DataFrame, field: str) -> list[Problem]:
    column = table[field]
    duplicate = np.asarray(column.duplicated(keep="first"), dtype=bool)
    if not duplicate.any():
        return []
    numbers = row_numbers(table)
    first = dict(zip(column[~duplicate], numbers[~duplicate]))
    return [Problem(file, f"row {r}", field, "a unique id", f"{found(v)}, already used in row {first[v]}")
            for r, v in zip(numbers[duplicate], column[duplicate])]


#: A plain decimal number, which Python's float() reads the same as Arrow; anything else goes to float().
PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def is_number(text: str) -> bool:
    """What float() reads as a finite number (``1e9``, ``-1``, ``4.5``; not ``nan``, ``inf`` or ``1,2``)."""
    try:
        value = float(text)
    except ValueError:
        return False
    return value == value and value not in (float("inf"), float("-inf"))


def not_numbers(series: pd.Series) -> np.ndarray:
    """Rows whose non-empty text is not a finite plain number (:func:`is_number`), vectorised: plain decimals are
    parsed by Arrow, the few others by float() itself, so the verdict is float()'s."""
    arr = arrow_strings(series)
    if arr is None or len(series) <= 10_000:
        return flags(series, lambda v: bool(v) and not is_number(v))
    plain = np.asarray(pc.match_substring_regex(arr, PLAIN_NUMBER).fill_null(False), dtype=bool)
    bad = np.zeros(len(series), dtype=bool)
    try:
        values = pc.cast(pc.filter(arr, pa.array(plain)), pa.float64()).to_numpy(zero_copy_only=False)
        bad[np.flatnonzero(plain)] = ~np.isfinite(values)
    except pa.ArrowInvalid:  # an exponent Arrow refuses: let float() decide for every plain value
        plain[:] = False
    others = np.flatnonzero(~plain)
    if len(others):
        rest = series.iloc[others]
        bad[others] = flags(rest, lambda v: bool(v) and not is_number(v))
    return bad
