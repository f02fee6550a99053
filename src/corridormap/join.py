"""Join measures and facts onto the layers that render and export draw: segments, corridors, nodes, countries."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiLineString, Point

from . import facts
from ._errors import DataError, Problem
from .load import Atlas
from .measure import corridor_measures, segment_measures
from .settings import in_region

SEGMENT_FIELDS = ("corridor", "segment", "name", "mode", "status", "from", "to", "accuracy", "source", "via", "note",
                  "licence")


@dataclass
class Layers:
    """What render and export draw, each a GeoDataFrame in EPSG:4326 with flat scalar columns.

    ``segments`` holds every segment once (``corridor`` is the file it lives in; ``corridors`` lists every
    corridor that draws it); ``members[cid]`` holds the segments drawn as corridor *cid* (own + included);
    ``corridors`` has one dissolved (Multi)LineString per corridor with its measures.
    """

    atlas: Atlas
    segments: gpd.GeoDataFrame
    members: dict[str, gpd.GeoDataFrame]
    corridors: gpd.GeoDataFrame
    nodes: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    facts: dict[str, CorridorFacts]
    agreements: gpd.GeoDataFrame
    volumes: pd.DataFrame
    sources: pd.DataFrame
    #: Derived display data memoised by the renderers (:func:`per_layers`), shared across maps.
    cache: dict = field(default_factory=dict)

    def corridor(self, cid: str) -> pd.Series:
        """The row of ``corridors`` with id *cid* (name, colour, description, measures, facts)."""
        rows = self.cache.get("corridor_rows")
        if rows is None:  # asked ~200 times a build: filtering a GeoDataFrame each time cost 2 s
            rows = {c: self.corridors.iloc[i] for i, c in enumerate(self.corridors["id"])}
            self.cache["corridor_rows"] = rows
        return rows[cid]


T = TypeVar("T")


def per_layers(fn: Callable[..., T]) -> Callable[..., T]:
    """Compute ``fn(layers, *args)`` once per :class:`Layers`, kept in ``layers.cache`` under the function's name
    and *args* (display data every page of a build shares)."""
    @functools.wraps(fn)
    def memoised(layers: Layers, *args: Hashable) -> T:
        key = (fn.__name__, *args)
        if key not in layers.cache:
            layers.cache[key] = fn(layers, *args)
        return layers.cache[key]
    return memoised


class Geography:
    """What display functions of the geometry alone read of a :class:`Layers` (its atlas, its countries, its
    cache), available before the join: such functions run on it in another process while the build joins."""

    def __init__(self, atlas: Atlas):
        self.atlas, self.countries = atlas, atlas.countries
        self.cache: dict = {}

    def entries(self, names: Iterable[str]) -> dict:
        """The cache entries the functions called *names* made, for ``Layers.cache``."""
        names = set(names)
        return {key: value for key, value in self.cache.items() if key[0] in names}


@per_layers
def sources_by_id(layers: Layers) -> dict[str, dict]:
    """Source id → its row of ``routes/sources.csv`` as a dict (read only: every deck slide's notes and every
    comparison page ask for it)."""
    return {s["id"]: s for s in layers.sources.to_dict("records")}


@dataclass
class CorridorFacts:
    """A corridor's volumes (all rows and the latest per metric) and agreements (named, and related by parties)."""

    volumes: pd.DataFrame
    latest: pd.DataFrame
    agreements: pd.DataFrame
    related: pd.DataFrame


def join(atlas: Atlas) -> Layers:
    """Measure and join everything in a (validated) *atlas* into :class:`Layers`."""
    measures = segment_measures(atlas)
    segments = segment_layer(atlas, measures.drop(columns="crossing"))
    positions = segment_positions(segments)
    members = {cid: member_layer(atlas, cid, segments, positions) for cid in atlas.corridor_ids()}
    corridors = corridor_layer(atlas, members, corridor_measures(atlas, measures))
    corridor_facts = {cid: corridor_facts_of(atlas, cid, set(filter(None, c.split(";"))))
                      for cid, c in zip(corridors["id"], corridors["countries"])}
    corridors = with_fact_columns(corridors, corridor_facts)
    row_of = {cid: i for i, cid in enumerate(corridors["id"])}
    for cid, frame in members.items():
        members[cid] = with_corridor_facts(frame, corridors, row_of[cid])
    return Layers(atlas, segments, members, corridors, node_layer(atlas), country_layer(atlas), corridor_facts,
                  agreement_points(atlas), volume_table(atlas), atlas.sources.drop(columns="row"))


#: Flat columns every corridor (and exported segment) gains from the facts.
FACT_COLUMNS = ("latest_volume_metric", "latest_volume", "latest_volume_unit", "latest_volume_period",
                "latest_volume_qualifier", "latest_volume_source", "latest_tonnes", "volumes", "agreements",
                "agreement_ids")


def corridor_facts_of(atlas: Atlas, cid: str, countries: set[str]) -> CorridorFacts:
    volumes = facts.corridor_volumes(atlas, cid)
    return CorridorFacts(volumes, facts.latest(volumes), facts.corridor_agreements(atlas, cid),
                         facts.related_agreements(atlas, cid, countries))


def headline(cf: CorridorFacts, corridor: str) -> pd.Series | None:
    """The corridor's headline volume: its latest tonnage (:func:`facts.tonnage`) if any, else its latest row."""
    tonnes = facts.tonnage(cf.volumes, corridor)
    if len(tonnes):
        return tonnes.iloc[-1]
    return cf.latest.iloc[-1] if len(cf.latest) else None


def with_fact_columns(corridors: gpd.GeoDataFrame, corridor_facts: dict[str, CorridorFacts]) -> gpd.GeoDataFrame:
    rows = []
    for cid in corridors["id"]:
        f = corridor_facts[cid]
        top = headline(f, cid)
        row: dict[str, object] = dict.fromkeys(FACT_COLUMNS)
        if top is not None:
            row.update({f"latest_volume_{k}": top[k] for k in ("metric", "unit", "period", "qualifier", "source")})
            row["latest_volume"] = float(top["value"])
            row["latest_tonnes"] = float(top["value"]) if top["unit"] == "t" else None
        row.update(volumes=len(f.volumes), agreements=len(f.agreements), agreement_ids=";".join(f.agreements["id"]))
        rows.append(row)
    extra = pd.DataFrame(rows, index=corridors.index)
    return gpd.GeoDataFrame(pd.concat([corridors, extra], axis=1), geometry="geometry", crs="EPSG:4326")


def volume_table(atlas: Atlas) -> pd.DataFrame:
    """Every volume row (volumes.csv and the aggregated bulk tables) with a float ``value``."""
    volumes = facts.volume_rows(atlas).drop(columns="row")
    return volumes.assign(value=volumes["value"].astype(float))


def agreement_points(atlas: Atlas) -> gpd.GeoDataFrame:
    """Agreements as points: at ``place`` when given, else at the capital (GeoNames, ``geo/capitals.csv``) of the
    first party whose capital lies in the map region (Beijing and Washington do not)."""
    nodes = atlas.nodes.set_index("id")
    capitals = {iso3: (name, lon, lat) for iso3, name, lon, lat in
                zip(atlas.capitals["iso3"], atlas.capitals["capital"], atlas.capitals["lon"], atlas.capitals["lat"])
                if in_region(lon, lat)}
    rows = []
    for _, a in atlas.agreements.iterrows():
        parties = [p.strip() for p in a["parties"].split(";") if p.strip() in capitals]
        if a["place"] and a["place"] in nodes.index:
            lon, lat, located = nodes.loc[a["place"], "lon"], nodes.loc[a["place"], "lat"], "place"
        elif parties:
            _, lon, lat = capitals[parties[0]]
            located = f"capital of {parties[0]}"
        else:
            raise DataError([Problem("routes/agreements.csv", f"row {a['row']}", "parties",
                                     "a party whose capital lies in the map region (or a place)", a["parties"])])
        rows.append({**a.drop(labels="row").to_dict(), "year": int(a["date"][:4]), "located_at": located,
                     "geometry": Point(float(lon), float(lat))})
    columns = [*(c for c in atlas.agreements.columns if c != "row"), "year", "located_at", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs="EPSG:4326")


def segment_layer(atlas: Atlas, measures: pd.DataFrame) -> gpd.GeoDataFrame:
    seg = atlas.segments[[*SEGMENT_FIELDS, "geometry"]].copy()
    seg = seg.merge(measures, left_on=["corridor", "segment"], right_on=["owner", "segment"], how="left")
    seg = seg.drop(columns="owner")
    seg["length_km"] = seg["length_km"].round(1)
    drawn_by: dict[str, set[tuple[str, str]]] = {}
    for cid in atlas.corridor_ids():
        members = atlas.members(cid)
        drawn_by[cid] = set(zip(members["owner"], members["segment"]))
    seg["corridors"] = [";".join(c for c, keys in drawn_by.items() if (o, s) in keys)
                        for o, s in zip(seg["corridor"], seg["segment"])]
    seg["id"] = seg["corridor"] + "/" + seg["segment"]
    return gpd.GeoDataFrame(seg, geometry="geometry", crs="EPSG:4326")


def member_layer(atlas: Atlas, cid: str, segments: gpd.GeoDataFrame,
                 positions: dict[tuple[str, str], int]) -> gpd.GeoDataFrame:
    """The segments drawn as corridor *cid*, with ``layer`` = *cid* and ``corridor`` = the owning file.

    The rows of *segments* taken by their *positions* (:func:`segment_positions`; a merge on the keys gave the same
    table, 4 ms a corridor slower): ``layer``, ``segment``, then the segments' other columns."""
    keys = atlas.members(cid)
    out = segments.iloc[[positions[k] for k in zip(keys["owner"], keys["segment"])]].reset_index(drop=True)
    out = out[["segment", *(c for c in segments.columns if c != "segment")]]
    out.insert(0, "layer", cid)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def segment_positions(segments: gpd.GeoDataFrame) -> dict[tuple[str, str], int]:
    """(corridor file, segment id) → row of *segments* (ids are unique once validated)."""
    return {k: i for i, k in enumerate(zip(segments["corridor"], segments["segment"]))}


def with_corridor_facts(members: gpd.GeoDataFrame, corridors: gpd.GeoDataFrame, row: int) -> gpd.GeoDataFrame:
    """A corridor's member segments with its fact columns (:data:`FACT_COLUMNS`, those of *corridors*' row
    *row*) on every segment."""
    facts = corridors[list(FACT_COLUMNS)].iloc[[row] * len(members)].reset_index(drop=True)
    joined = pd.concat([pd.DataFrame(members), facts.set_axis(members.index)], axis=1)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")


def corridor_layer(atlas: Atlas, members: dict[str, gpd.GeoDataFrame], measures: pd.DataFrame) -> gpd.GeoDataFrame:
    rows = []
    info = atlas.corridors.set_index("id")
    for _, m in measures.iterrows():
        cid, geoms = m["id"], members[m["id"]].geometry
        merged = MultiLineString(list(geoms)) if len(geoms) else None
        c = info.loc[cid]
        rows.append({"id": cid, "name": c["name"], "kind": c["kind"], "color": c["color"],
                     "includes": c["includes"], "description": c["description"],
                     "length_km": round(m["length_km"], 1), "segments": m["segments"],
                     "countries": m["countries"], "km_by_country": m["km_by_country"],
                     "by_status": m["by_status"], "geometry": merged})
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")


def node_layer(atlas: Atlas) -> gpd.GeoDataFrame:
    nodes = atlas.nodes[["id", "name", "kind", "iso3", "lon", "lat", "geonameid", "source", "geometry"]].copy()
    used = set(atlas.segments["from"]) | set(atlas.segments["to"])
    nodes["on_route"] = nodes["id"].isin(used)
    return gpd.GeoDataFrame(nodes, geometry="geometry", crs="EPSG:4326")


def country_layer(atlas: Atlas) -> gpd.GeoDataFrame:
    """Countries with their latest trade turnover with Azerbaijan and agreement counts by year and kind."""
    countries = atlas.countries.copy()
    turnover = facts.turnover_with(atlas, "AZE")
    observed = turnover[~turnover["qualifier"].isin(facts.FORWARD)]
    latest = facts.by_recency(observed, full_years_first=True).groupby("iso3").tail(1).set_index("iso3")
    values = latest["value"].astype(float)
    countries["turnover_aze_usd"] = countries["iso3"].map(lambda c: values[c] if c in values.index else None)
    for column in ("period", "qualifier", "source"):
        countries[f"turnover_aze_{column}"] = countries["iso3"].map(latest[column]) if len(latest) else None
    countries["turnover_aze_series"] = countries["iso3"].map(turnover_series(observed))
    by_party = agreements_by_party(atlas)
    countries["agreements"] = countries["iso3"].map(lambda c: len(by_party.get(c, [])))
    countries["agreements_by_year"] = countries["iso3"].map(lambda c: count_text(by_party.get(c, []), "year"))
    countries["agreements_by_kind"] = countries["iso3"].map(lambda c: count_text(by_party.get(c, []), "kind"))
    return countries


def turnover_series(observed: pd.DataFrame) -> dict[str, str]:
    """ISO3 → ``2019 229600000; 2022 463300000`` (by period; where rows share a period, the preferred one:
    exact before approximate, then the later row), however many rows the tables hold."""
    if not len(observed):
        return {}
    ordered = facts.by_recency(observed)
    best = ordered[~ordered.duplicated(["iso3", "period"], keep="last")]
    best = pd.DataFrame({"iso3": best["iso3"].astype(str), "period": best["period"].astype(str),
                         "value": best["value"].astype(float)}).sort_values(["iso3", "period"], kind="stable")
    return {str(iso3): "; ".join(f"{p} {v:.0f}" for p, v in zip(group["period"], group["value"]))
            for iso3, group in best.groupby("iso3")}


def agreements_by_party(atlas: Atlas) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for _, a in atlas.agreements.iterrows():
        for party in filter(None, (p.strip() for p in a["parties"].split(";"))):
            out.setdefault(party, []).append({"year": a["date"][:4], "kind": a["kind"]})
    return out


def count_text(items: list[dict], key: str) -> str:
    """``2017: 2; 2022: 5`` (sorted by key)."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item[key]] = counts.get(item[key], 0) + 1
    return "; ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
