"""Bulk tables cited once: ``routes/datasets.csv`` registers tables too big for a quote per row (bilateral trade
by year and product, port throughput by month); each is a CSV or Parquet file under ``routes/datasets/``.

Every row of a table is checked like every other file (file, row, field, expected, found); the valid rows are
summed with DuckDB (embedded; the same SQL runs on a larger engine) to the subjects the map knows and the
periods of the table, and become volume rows (:func:`corridormap.facts.volume_rows`) with the dataset's source:
the choropleth, popups, charts and ``corridormap facts`` use them like rows of ``volumes.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from . import schema
from ._columns import check_required, check_unique, check_vocab, flags, interleave, not_numbers, positioned
from ._errors import Problem, found

REGISTRY = "routes/datasets.csv"
FOLDER = "datasets"
COLUMNS = ("id", "path", "source", "licence", "subject_columns", "metric", "unit", "period_column", "value_column",
           "note")
REQUIRED = ("id", "path", "source", "licence", "subject_columns", "metric", "unit", "period_column",
            "value_column")
#: Metrics whose rows add up (a table by product sums to the bilateral total); shares, growth rates, capacities
#: and lengths do not, so a bulk table cannot carry them.
ADDITIVE = ("trade_turnover", "exports", "imports", "investment", "contracts", "cargo", "oil", "gas", "containers",
            "transit")
SUFFIXES = (".csv", ".parquet")
PERIOD_EXPECTED = "a period like 2019, 2022-H1, 2022-01/2022-02 or 2005/2020"
SUBJECT_EXPECTED = "a corridor id, corridor/segment, node id or ISO3 subject (AZE, AZE-KAZ, KAZ>AZE)"
#: Columns of the aggregated rows beyond those of volumes.csv: the registry id and how many table rows were summed.
EXTRA = ("dataset", "rows")


def empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in (*schema.VOLUME_COLUMNS, "dataset")}).assign(
        row=pd.Series(dtype="int64"), rows=pd.Series(dtype="int64"))


def subject_sql(count: int, metric: str) -> str:
    """The SQL of a row's subject from columns ``s0`` (and ``s1``): one column as it is; two as ``A-B`` (turnover
    between them) or ``A>B`` (a flow from the first to the second)."""
    if count == 1:
        return "s0"
    return f"s0 || '{'-' if metric == 'trade_turnover' else '>'}' || s1"


def subject_columns(text: str) -> list[str]:
    return [c.strip() for c in text.split(";") if c.strip()]


def table_path(root: Path, path_text: str) -> Path:
    return root / "routes" / path_text


def read_table(root: Path, path: Path, name: str, columns: tuple[str, ...],
               problems: list[Problem]) -> pd.DataFrame | None:
    """A registered table as text columns plus ``row`` (CSV: the line number; Parquet: the record number, from
    1), or ``None`` with a problem."""
    from .load import read_csv

    if path.suffix == ".csv":
        before = len(problems)
        table = read_csv(path, root, columns, columns, problems, categorical=True, warn=False)
        return None if len(problems) > before and not len(table) else table
    if not path.is_file():
        problems.append(Problem(name, "", "file", "an existing file", "nothing at that path"))
        return None
    try:
        frame = duckdb.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    except duckdb.Error as err:
        problems.append(Problem(name, "", "file", "a Parquet file", f"unreadable ({str(err).splitlines()[0]})"))
        return None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(Problem(name, "", "columns", f"columns {', '.join(columns)}",
                                f"no column {', '.join(missing)} (columns: {', '.join(map(str, frame.columns))})"))
        return None
    text = {c: frame[c].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
            .astype("category") for c in columns}
    return pd.DataFrame(text).assign(row=np.arange(1, len(frame) + 1, dtype=np.int64))


def check_registry(registry: pd.DataFrame, sources: set[str], root: Path) -> list[Problem]:
    """The registry's own rows: required values, ids, vocabularies, sources, and paths under routes/datasets/."""
    file = REGISTRY
    out = check_required(file, registry, REQUIRED)
    out += check_unique(file, registry, "id")
    out += check_vocab(file, registry, "metric", ADDITIVE)
    out += check_vocab(file, registry, "unit", schema.UNITS)
    bad_id = flags(registry["id"], lambda v: bool(v) and not schema.ID_RE.match(v))
    out += [p for _, p in positioned(file, registry, bad_id, "id", "a lower_snake_case id")]
    bad_source = flags(registry["source"], lambda v: bool(v) and v not in sources)
    out += [p for _, p in positioned(file, registry, bad_source, "source", "a source id from routes/sources.csv")]
    bad_path = flags(registry["path"], lambda v: bool(v) and not path_ok(v))
    out += [p for _, p in positioned(file, registry, bad_path, "path",
                                     f"a .csv or .parquet file under routes/{FOLDER}/ (e.g. {FOLDER}/trade.csv)")]
    for r in registry[~bad_path & (registry["path"] != "")].to_dict("records"):
        if not table_path(root, r["path"]).is_file():
            out.append(Problem(file, f"row {r['row']}", "path", f"an existing file under routes/{FOLDER}/",
                               f"{found(r['path'])}, no such file"))
    counts = registry["subject_columns"].map(lambda t: len(subject_columns(t)))
    bad_count = np.asarray((counts > 2) | ((counts == 0) & (registry["subject_columns"] != "")), dtype=bool)
    out += [p for _, p in positioned(file, registry, bad_count, "subject_columns",
                                     "one or two column names separated by ; (a subject, or a country pair)")]
    return out


def path_ok(text: str) -> bool:
    parts = Path(text).parts
    return (len(parts) >= 2 and parts[0] == FOLDER and ".." not in parts and not Path(text).is_absolute()
            and Path(text).suffix in SUFFIXES)


def check_rows(name: str, table: pd.DataFrame, entry: dict, known: Callable[[str], bool],
               codes: frozenset[str]) -> tuple[list[Problem], np.ndarray]:
    """Problems of a table's rows for one registry entry, and the mask of rows that can be summed."""
    subjects = subject_columns(entry["subject_columns"])
    period, value = entry["period_column"], entry["value_column"]
    reg = f"(subject_columns of {REGISTRY} row {entry['row']})"
    checks: list[list[tuple[int, Problem]]] = []
    bad = np.zeros(len(table), dtype=bool)
    for column in subjects:
        if len(subjects) == 2:
            mask = flags(table[column], lambda v: v not in codes)
            expected = f"an ISO3 country code or group {reg}"
        else:
            mask = flags(table[column], lambda v: not known(v))
            expected = f"{SUBJECT_EXPECTED} {reg}"
        checks.append(positioned(name, table, mask, column, expected))
        bad |= mask
    mask = flags(table[period], lambda v: not schema.PERIOD_RE.match(v))
    checks.append(positioned(name, table, mask, period, PERIOD_EXPECTED))
    bad |= mask
    mask = not_numbers(table[value])
    checks.append(positioned(name, table, mask, value, "a plain number (no units or separators), or empty"))
    bad |= mask
    problems = interleave(checks)
    if entry["path"].endswith(".parquet"):
        problems = [Problem(p.file, p.where.replace("row ", "record "), p.field, p.expected, p.found)
                    for p in problems]
    return problems, ~bad & np.asarray(table[value] != "", dtype=bool)


def aggregate(table: pd.DataFrame, usable: np.ndarray, entry: dict) -> pd.DataFrame:
    """The usable rows summed by subject and period with DuckDB, as volume rows citing the dataset."""
    subjects = subject_columns(entry["subject_columns"])
    period, value = entry["period_column"], entry["value_column"]
    # Fixed column names in the SQL: the registry's names never reach it.
    picked = pd.DataFrame({**{f"s{i}": table[c].astype(str) for i, c in enumerate(subjects)},
                           "period": table[period].astype(str), "value": table[value].astype(str)})[usable]
    con = duckdb.connect()
    con.register("bulk", picked)
    summed = con.execute(
        f"SELECT {subject_sql(len(subjects), entry['metric'])} AS subject, period, "
        "sum(CAST(value AS DOUBLE)) AS value, count(*) AS rows FROM bulk GROUP BY ALL ORDER BY subject, period").df()
    con.close()
    note = f"sum of {{n}} of routes/{entry['path']} ({REGISTRY} row {entry['row']})"
    return pd.DataFrame({
        "subject": summed["subject"].astype(str), "metric": entry["metric"], "period": summed["period"].astype(str),
        "value": [format(v, ".15g") for v in summed["value"]], "unit": entry["unit"], "qualifier": "exact",
        "source": entry["source"], "quote": "", "note": [note.format(n=rows_text(n)) for n in summed["rows"]],
        "row": 0, "dataset": entry["id"], "rows": summed["rows"].astype("int64")})


def rows_text(n: int) -> str:
    return f"{n:,} row" + ("s" if n != 1 else "")


def read_all(root: Path, registry: pd.DataFrame, known: Callable[[str], bool],
             problems: list[Problem]) -> pd.DataFrame:
    """Every registered table checked (problems appended) and aggregated, as one table of volume rows."""
    from .validate_facts import world_iso3

    codes = world_iso3() | frozenset(schema.GROUPS)
    parts = [empty_rows()]
    tables: dict[str, pd.DataFrame | None] = {}
    for entry in registry.to_dict("records"):
        if not all(entry[c] for c in REQUIRED) or not path_ok(entry["path"]):
            continue  # check_registry says what is missing
        path, name = table_path(root, entry["path"]), f"routes/{entry['path']}"
        if not path.is_file():
            continue
        columns = tuple(dict.fromkeys([*subject_columns(entry["subject_columns"]), entry["period_column"],
                                       entry["value_column"]]))
        key = f"{entry['path']}|{'|'.join(columns)}"
        if key not in tables:
            tables[key] = read_table(root, path, name, columns, problems)
        table = tables[key]
        if table is None or len(subject_columns(entry["subject_columns"])) > 2:
            continue
        bad, usable = check_rows(name, table, entry, known, codes)
        problems.extend(bad)
        if usable.any():
            parts.append(aggregate(table, usable, entry))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
