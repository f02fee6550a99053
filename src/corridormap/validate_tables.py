"""Checks of the route-comparison tables (issue 12): routes/parameters.csv, scenarios.csv, scenario_alternatives.csv.

Same rules and messages as every table (:mod:`corridormap.validate`): required values, ids, vocabularies, numbers,
known nodes, countries, segments, corridors and sources, a quote for every figure, seed quotes verbatim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import schema
from ._errors import Problem
from .load import Atlas
from .validate import (
    CONTROL_TEXT,
    check_id_table,
    check_required,
    check_vocab,
    controlled,
    has_control,
    is_number,
    row_problem,
    world_iso3,
)

PARAMETERS = "routes/parameters.csv"
SCENARIOS = "routes/scenarios.csv"
ALTERNATIVES = "routes/scenario_alternatives.csv"
PARAPHRASE = "[paraphrase]"


# --- shared --------------------------------------------------------------------------------------------------

def number_problems(file: str, r: pd.Series, fields: tuple[str, ...], *, positive: bool = False) -> list[Problem]:
    """Each given field of *fields* is a plain number >= 0 (> 0 with *positive*)."""
    out = []
    for f in fields:
        text = r[f]
        if not text:
            continue
        if not is_number(text):
            out.append(row_problem(file, r, f, "a plain number (no units or separators)", text))
        elif float(text) < 0 or (positive and float(text) == 0):
            out.append(row_problem(file, r, f, "a number above 0" if positive else "a number of 0 or more", text))
    return out


def range_problems(file: str, r: pd.Series, low: str, high: str) -> list[Problem]:
    """``low <= high`` when both are numbers."""
    if is_number(r[low]) and is_number(r[high]) and float(r[low]) > float(r[high]):
        return [row_problem(file, r, high, f"a number of at least {low} ({r[low]})", r[high])]
    return []


def source_problems(file: str, r: pd.Series, sources: set[str], seeds: Path | None) -> list[Problem]:
    """A known source id; a seed brief's quote must appear in it verbatim (whitespace aside)."""
    if not r["source"]:
        return []
    if r["source"] not in sources:
        return [row_problem(file, r, "source", "a source id from routes/sources.csv", r["source"])]
    if r["source"].startswith("seed:") and r["quote"] and not r["quote"].startswith(PARAPHRASE):
        text = seed_text(seeds, r["source"]) if seeds is not None else None
        if text is not None and squash(r["quote"]) not in text:
            return [row_problem(file, r, "quote", f"the brief's words verbatim ({r['source']}) or a quote "
                                f"starting {PARAPHRASE}", r["quote"])]
    return []


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def seed_file_text(path: Path) -> str:
    return squash(path.read_text(encoding="utf-8"))


def seed_text(seeds: Path, source: str) -> str | None:
    """The text of seed brief *source* (``seed:003``) in *seeds*, or ``None`` when it is not there."""
    paths = sorted(seeds.glob(f"{source.split(':', 1)[1]}_*.txt")) if seeds.is_dir() else []
    return seed_file_text(paths[0]) if paths else None


def seeds_folder(atlas: Atlas) -> Path | None:
    """The seed briefs beside the repository (``../shared/seeds``), when present."""
    folder = Path(atlas.root).resolve().parent / "shared" / "seeds"
    return folder if folder.is_dir() else None


def text_problems(file: str, table: pd.DataFrame, columns: tuple[str, ...]) -> list[Problem]:
    if table.empty:
        return []
    return [row_problem(file, r, c, CONTROL_TEXT, r[c]) for _, r in table[controlled(table, columns)].iterrows()
            for c in columns if has_control(r.get(c))]


# --- routes/parameters.csv -----------------------------------------------------------------------------------

def check_parameters(atlas: Atlas) -> list[Problem]:
    file, table = PARAMETERS, atlas.parameters
    out = check_id_table(file, table, schema.PARAMETER_REQUIRED, {"parameter": schema.PARAMETER_UNITS,
                                                                   "mode": schema.FREIGHT_MODES})
    sources, seeds = set(atlas.sources["id"]), seeds_folder(atlas)
    targets = applies_to_targets(atlas)
    for _, r in table.iterrows():
        out += number_problems(file, r, ("low", "high"))
        out += range_problems(file, r, "low", "high")
        out += unit_problems(file, r)
        out += parameter_scope_problems(file, r, world_iso3())
        out += applies_to_problems(file, r, targets)
        out += source_problems(file, r, sources, seeds)
    return out + text_problems(file, table, schema.PARAMETER_COLUMNS)


def unit_problems(file: str, r: pd.Series) -> list[Problem]:
    units = schema.PARAMETER_UNITS.get(r["parameter"])
    if units and r["unit"] and r["unit"] not in units:
        return [row_problem(file, r, "unit", f"{' or '.join(units)} for a {r['parameter']} parameter", r["unit"])]
    return []


def parameter_scope_problems(file: str, r: pd.Series, iso3: frozenset[str]) -> list[Problem]:
    """``mode`` required for a speed; ``iso3`` one country, or for a border the pair of countries crossed."""
    out = []
    if r["parameter"] == "speed" and not r["mode"]:
        out.append(row_problem(file, r, "mode", f"the mode of a speed ({', '.join(schema.FREIGHT_MODES)})", ""))
    code = r["iso3"]
    if not code:
        return out
    pair = schema.ISO3_PAIR_RE.match(code)
    if r["parameter"] == "border":
        if not pair or pair.group(1) == pair.group(2):
            out.append(row_problem(file, r, "iso3", "the two countries of the crossing, like CHN-KAZ", code))
        else:
            out += [row_problem(file, r, "iso3", "ISO3 country codes (ISO 3166-1 alpha-3)", c)
                    for c in pair.groups() if c not in iso3]
    elif not schema.ISO3_RE.match(code) or code not in iso3:
        out.append(row_problem(file, r, "iso3", "one ISO3 country code (a pair, like CHN-KAZ, only for a border)",
                               code))
    return out


def applies_to_targets(atlas: Atlas) -> dict[str, str]:
    """What ``applies_to`` may name, with its kind: corridor ids, ``corridor/segment`` (by mode), node ids."""
    targets = {cid: "corridor" for cid in atlas.corridor_ids()}
    targets.update({f"{o}/{s}": f"segment:{m}" for o, s, m in
                    zip(atlas.segments["owner"], atlas.segments["segment"], atlas.segments["mode"])})
    targets.update({nid: "node" for nid in atlas.nodes["id"]})
    return targets


def applies_to_problems(file: str, r: pd.Series, targets: dict[str, str]) -> list[Problem]:
    ref = r["applies_to"]
    if not ref:
        return []
    kind = targets.get(ref)
    if kind is None:
        return [row_problem(file, r, "applies_to", "a corridor id, corridor/segment or node id", ref)]
    if r["parameter"] in ("ferry", "ferry_wait") and kind.startswith("segment:") and kind != "segment:sea":
        return [row_problem(file, r, "applies_to", f"a sea segment for a {r['parameter']} parameter",
                            f"{ref} ({kind.split(':')[1]})")]
    if r["parameter"] == "speed" and r["mode"] and kind.startswith("segment:") and kind != f"segment:{r['mode']}":
        return [row_problem(file, r, "applies_to", f"a {r['mode']} segment for a {r['mode']} speed",
                            f"{ref} ({kind.split(':')[1]})")]
    return []


# --- routes/scenarios.csv and routes/scenario_alternatives.csv -------------------------------------------------

def check_scenarios(atlas: Atlas) -> list[Problem]:
    file, table = SCENARIOS, atlas.scenarios
    out = check_id_table(file, table, schema.SCENARIO_REQUIRED, {})
    nodes = set(atlas.nodes["id"])
    counts = atlas.alternatives["scenario"].value_counts() if len(atlas.alternatives) else pd.Series(dtype=int)
    for _, r in table.iterrows():
        out += [row_problem(file, r, f, "a node id from geo/nodes.csv", r[f]) for f in ("from", "to")
                if r[f] and r[f] not in nodes]
        if r["from"] and r["from"] == r["to"]:
            out.append(row_problem(file, r, "to", f"a node other than from ({r['from']})", r["to"]))
        count = int(counts.get(r["id"], 0))
        if r["id"] and count < 2:
            out.append(Problem(file, f"row {r['row']}", "alternatives",
                               f"at least 2 rows for {r['id']} in {ALTERNATIVES}", f"{count}"))
    return out + text_problems(file, table, schema.SCENARIO_COLUMNS)


def check_alternatives(atlas: Atlas) -> list[Problem]:
    file, table = ALTERNATIVES, atlas.alternatives
    out = check_required(file, table, schema.ALTERNATIVE_REQUIRED)
    out += check_vocab(file, table, "status", schema.ROUTE_STATUSES)
    scenarios = atlas.scenarios.set_index("id") if len(atlas.scenarios) else pd.DataFrame()
    node_iso3 = dict(zip(atlas.nodes["id"], atlas.nodes["iso3"]))
    sources, seeds, iso3 = set(atlas.sources["id"]), seeds_folder(atlas), world_iso3()
    seen: dict[tuple[str, str], int] = {}
    for _, r in table.iterrows():
        out += alternative_id_problems(file, r, scenarios, seen)
        out += alternative_route_problems(file, r, scenarios, node_iso3, iso3)
        out += published_problems(file, r)
        out += source_problems(file, r, sources, seeds)
    return out + text_problems(file, table, schema.ALTERNATIVE_COLUMNS)


def alternative_id_problems(file: str, r: pd.Series, scenarios: pd.DataFrame,
                            seen: dict[tuple[str, str], int]) -> list[Problem]:
    out = []
    if r["scenario"] and r["scenario"] not in scenarios.index:
        out.append(row_problem(file, r, "scenario", f"a scenario id from {SCENARIOS}", r["scenario"]))
    if r["alternative"] and not schema.ID_RE.match(r["alternative"]):
        out.append(row_problem(file, r, "alternative", "a lower_snake_case id", r["alternative"]))
    key = (r["scenario"], r["alternative"])
    if r["alternative"] and key in seen:
        out.append(Problem(file, f"row {r['row']}", "alternative", f"an id unique within scenario {r['scenario']}",
                           f"'{r['alternative']}', already used in row {seen[key]}"))
    seen.setdefault(key, r["row"])
    return out


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def alternative_route_problems(file: str, r: pd.Series, scenarios: pd.DataFrame, node_iso3: dict[str, str],
                               iso3: frozenset[str]) -> list[Problem]:
    """Known end and via nodes, known avoided countries, and no end or via node inside an avoided country."""
    out = [row_problem(file, r, f, "a node id from geo/nodes.csv", r[f]) for f in ("from", "to")
           if r[f] and r[f] not in node_iso3]
    via = split_list(r["via"])
    out += [row_problem(file, r, "via", "node ids from geo/nodes.csv separated by ;", n) for n in via
            if n not in node_iso3]
    avoid = split_list(r["avoid"])
    out += [row_problem(file, r, "avoid", "ISO3 country codes separated by ;", c) for c in avoid if c not in iso3]
    scenario = scenarios.loc[r["scenario"]] if r["scenario"] in scenarios.index else None
    ends = [r[f] or (scenario[f] if scenario is not None else "") for f in ("from", "to")]
    for field, node in [("from", ends[0]), ("to", ends[1]), *(("via", n) for n in via)]:
        if node in node_iso3 and node_iso3[node] in avoid:
            out.append(row_problem(file, r, field, f"a node outside the avoided countries ({', '.join(avoid)})",
                                   f"{node} ({node_iso3[node]})"))
    return out


def published_problems(file: str, r: pd.Series) -> list[Problem]:
    """Published days are a pair (low <= high), km a positive number; any figure needs its span, source, quote."""
    out = number_problems(file, r, ("published_days_low", "published_days_high"))
    out += number_problems(file, r, ("published_km",), positive=True)
    low, high = r["published_days_low"], r["published_days_high"]
    if bool(low) != bool(high):
        missing = "published_days_high" if low else "published_days_low"
        out.append(row_problem(file, r, missing, "a value (a single published figure has low = high)", ""))
    out += range_problems(file, r, "published_days_low", "published_days_high")
    if low or high or r["published_km"]:
        out += [row_problem(file, r, f, "a value when a published figure is given", "")
                for f in ("published_span", "source", "quote") if not r[f]]
    return out


TABLE_CHECKS: tuple[Callable[[Atlas], list[Problem]], ...] = (check_parameters, check_scenarios,
                                                               check_alternatives)
