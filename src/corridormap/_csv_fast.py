"""Arrow's CSV reader for well-formed tables, giving exactly what :func:`corridormap.load.read_csv_exact` gives.

The fast path is taken only when its result cannot differ: UTF-8 without NUL bytes, ``\\n`` or ``\\r\\n`` line
ends, and one record per physical line (so the CSV line number of a row is its position + 2). Anything else
returns ``None`` and the careful reader handles the file and names what is wrong.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ._errors import Problem

#: What Python's str.strip() removes (str.isspace): ASCII whitespace, the information separators, NEL, and the
#: Unicode separators. A value that starts or ends with one of these is stripped by Python itself.
EDGE_SPACE = r"^[\t\n\x0b\x0c\r\x1c-\x1f \x85\p{Z}]|[\t\n\x0b\x0c\r\x1c-\x1f \x85\p{Z}]$"
CHUNK = 1 << 24


class UnknownColumnWarning(UserWarning):
    """A CSV has a column corridormap does not know; it is ignored."""


def header_ok(name: str, header: list[str], columns: tuple[str, ...], required: tuple[str, ...],
              problems: list[Problem], *, warn: bool = True) -> bool:
    """Warn about unknown columns (unless not *warn*); a problem (and ``False``) when a required one is missing."""
    extra = [h for h in header if h not in columns]
    if extra and warn:
        warnings.warn(f"{name}: unknown column(s) {', '.join(extra)} ignored (known: {', '.join(columns)})",
                      UnknownColumnWarning, stacklevel=5)
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem(name, "row 1", "header", f"columns {', '.join(required)}",
                                f"no column {', '.join(missing)} (header: {', '.join(header) or 'empty'})"))
        return False
    return True


def line_count(path: Path) -> tuple[int, bytes] | None:
    """(physical lines, first line) of a file the fast path can read, else ``None``."""
    lines, first, last = 0, b"", b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if chunk.endswith(b"\r"):
                chunk += f.read(1)
            if b"\x00" in chunk or (b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n")):
                return None
            if not first:
                first = chunk.split(b"\n", 1)[0]
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last and last != b"\n":
        lines += 1
    return lines, first


def read(path: Path, name: str, columns: tuple[str, ...], required: tuple[str, ...],
         problems: list[Problem], *, categorical: tuple[str, ...] = (), warn: bool = True) -> pd.DataFrame | None:
    """The table, or ``None`` when the careful reader must read it (see the module's docstring)."""
    if not path.is_file():
        return None
    counted = line_count(path)
    if counted is None:
        return None
    lines, first = counted
    try:
        header_text = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    parsed = list(csv.reader(io.StringIO(header_text)))
    if len(parsed) != 1 or '"' in header_text:
        return None
    header = [h.strip() for h in parsed[0]]
    if len(set(header)) != len(header):
        return None
    if not header_ok(name, header, columns, required, problems, warn=warn):
        return pd.DataFrame({c: pd.Series(dtype=str) for c in (*columns, "row")})
    try:
        result = streamed(path, header, columns, categorical)
    except (pa.ArrowInvalid, OSError):
        return None
    if result is None or result.attrs.pop("records") != lines - 1:
        return None  # a record spanning lines, or blank lines: line numbers need the careful reader
    return result


def streamed(path: Path, header: list[str], columns: tuple[str, ...],
             categorical: tuple[str, ...]) -> pd.DataFrame | None:
    """Parse block by block, keeping each block only as its (dictionary-encoded) columns: a 400 MB file never
    sits in memory as text."""
    names = [f"c{i}" for i in range(len(header))]
    reader = pacsv.open_csv(
        path, read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=CHUNK),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))
    chunks: dict[str, list[pa.Array]] = {c: [] for c in columns}
    blanks: list[np.ndarray] = []
    records = 0
    for batch in reader:
        n = batch.num_rows
        records += n
        blank = np.ones(n, dtype=bool)
        for i, h in enumerate(header):
            arr, is_blank = column(batch.column(i), encode=h in categorical)
            blank &= is_blank
            if h in chunks:
                chunks[h].append(arr)
        for c in columns:
            if c not in header:
                empty = pa.array([""] * n, type=pa.string())
                chunks[c].append(pc.dictionary_encode(empty) if c in categorical else empty)
        blanks.append(blank)
    result = frame(chunks, records, np.concatenate(blanks) if blanks else np.zeros(0, dtype=bool))
    result.attrs["records"] = records
    return result


def column(arr: pa.Array, *, encode: bool) -> tuple[pa.Array, np.ndarray]:
    """A parsed column stripped (dictionary-encoded first when *encode*: each distinct value stripped once), and
    which of its values are empty."""
    if not encode:
        arr = stripped(arr)
        return arr, np.asarray(pc.equal(arr, ""), dtype=bool)
    enc = pc.dictionary_encode(arr)
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    values = stripped(enc.dictionary)
    if not values.equals(enc.dictionary):  # stripping made some values equal: encode again
        enc = pc.dictionary_encode(pc.take(values, enc.indices))
        values = enc.dictionary
    indices = np.asarray(enc.indices.fill_null(0))
    return enc, np.asarray(pc.equal(values, ""), dtype=bool)[indices] if len(values) else np.ones(len(enc), bool)


def stripped(arr: pa.ChunkedArray) -> pa.Array:
    """*arr* with each value stripped as Python's str.strip() does (Arrow finds the few values to strip)."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    edges = np.asarray(pc.match_substring_regex(arr, EDGE_SPACE), dtype=bool)
    if not edges.any():
        return arr
    values = arr.to_pylist()
    for i in np.flatnonzero(edges):
        values[i] = values[i].strip()
    return pa.array(values, type=pa.string())


def frame(chunks: dict[str, list[pa.Array]], n: int, blank: np.ndarray) -> pd.DataFrame:
    """The pandas table of the parsed blocks: rows of only blanks dropped, ``row`` numbers (position + 2)."""
    arrays = {}
    for c, parts in chunks.items():
        if not parts:
            arrays[c] = pa.array([], type=pa.string())
        elif pa.types.is_dictionary(parts[0].type):
            arrays[c] = pa.chunked_array(parts).unify_dictionaries()
        else:
            arrays[c] = pa.chunked_array(parts)
    arrays["row"] = pa.array(np.arange(2, n + 2, dtype=np.int64))
    result = pa.table(arrays).to_pandas()
    if blank.any():
        result = result[~blank].reset_index(drop=True)
    return result


def as_categories(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """*table* with its *columns* as categoricals (each distinct value stored once)."""
    for c in columns:
        if c in table.columns and not isinstance(table[c].dtype, pd.CategoricalDtype):
            table[c] = table[c].astype("category")
    return table
