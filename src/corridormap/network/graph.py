"""The corridor network: a networkx graph of the measured segments, with ordered country runs per leg.

Nodes are node ids of ``geo/nodes.csv``; edges are segments (``corridor/segment``) with km, mode, status, the
corridors that draw them, km per country and the countries in the order the line crosses them. Shared track is
one edge: a segment drawn by several corridors (``includes``) is one segment already, and two segments of the
same mode between the same nodes with the same length (within 1 %) are merged into one edge that names both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import shapely
from shapely.geometry import LineString

from ..join import Layers
from ..measure import SEA, length_km
from ..schema import FREIGHT_MODES

if TYPE_CHECKING:  # imported where a graph is made (see network.route)
    import networkx as nx

#: Runs of a country shorter than this (km) are simplification slivers of the base map, not crossings; a node's
#: own country is kept however short the run (a border station).
SLIVER_KM = 1.0
#: Two segments of one mode between the same nodes whose lengths differ by less than this share the same track.
SAME_TRACK_TOLERANCE = 0.01


@dataclass(frozen=True)
class Crossing:
    """A border crossed by a leg: from country *a* to *b*, at (near) node *node*; *ferry* for a sea leg."""

    a: str
    b: str
    node: str
    ferry: bool = False

    def reversed(self) -> Crossing:
        return Crossing(self.b, self.a, self.node, self.ferry)


@dataclass(frozen=True)
class Leg:
    """One edge of the network, oriented from ``start`` to ``end`` (see :meth:`oriented`)."""

    id: str
    corridor: str
    name: str
    mode: str
    status: str
    start: str
    end: str
    km: float
    km_by_country: dict[str, float]
    countries: tuple[str, ...]
    crossings: tuple[Crossing, ...]
    drawn_by: tuple[str, ...]
    also: tuple[str, ...] = ()
    geometry: LineString | None = field(default=None, compare=False, repr=False)

    @property
    def ids(self) -> tuple[str, ...]:
        """Its segment id and the ids of the segments merged into it (same track)."""
        return (self.id, *self.also)

    def touches(self) -> set[str]:
        """Every country the leg enters (any measured km, and both end nodes' countries)."""
        return {c for c, km in self.km_by_country.items() if c != SEA and km > 0} | set(self.countries)

    def oriented(self, start: str) -> Leg:
        """The leg as travelled from *start* (one of its ends)."""
        if start == self.start:
            return self
        if start != self.end:
            raise ValueError(f"{self.id} does not end at {start}")
        geom = None if self.geometry is None else self.geometry.reverse()
        return Leg(self.id, self.corridor, self.name, self.mode, self.status, self.end, self.start, self.km,
                   self.km_by_country, self.countries[::-1], tuple(c.reversed() for c in self.crossings[::-1]),
                   self.drawn_by, self.also, geom)


@dataclass
class Network:
    """The graph (an ``nx.MultiGraph`` keyed by leg id), its legs, and the nodes' and countries' names."""

    #: None in a copy made only to draw routes (:meth:`corridormap.network.Router.for_drawing`).
    graph: nx.MultiGraph | None
    legs: dict[str, Leg]
    nodes: dict[str, dict]
    countries: dict[str, str]
    corridor_names: dict[str, str]
    #: Length of each corridor (km): names prefer the most specific corridor that draws a route.
    corridor_km: dict[str, float] = field(default_factory=dict)

    def node_name(self, node: str) -> str:
        return str(self.nodes.get(node, {}).get("name", node))


def country_runs(line: LineString, countries: gpd.GeoDataFrame, tree: shapely.STRtree
                 ) -> list[tuple[str, float, float]]:
    """The countries *line* passes through, in order: ``(iso3, km, position)`` with *position* the fraction of the
    line where the run starts; open sea is left out."""
    pieces: list[tuple[float, str, float]] = []
    for i in tree.query(line, predicate="intersects"):
        shape, iso3 = countries.geometry.iloc[i], countries["iso3"].iloc[i]
        if shape.covers(line):
            return [(iso3, length_km(line), 0.0)]
        for part in shapely.get_parts(line.intersection(shape)):
            if part.geom_type != "LineString" or part.is_empty:
                continue
            km = length_km(part)
            if km > 0:
                pieces.append((line.project(shapely.Point(part.coords[0]), normalized=True), iso3, km))
    pieces.sort()
    runs: list[tuple[str, float, float]] = []
    for position, iso3, km in pieces:
        if runs and runs[-1][0] == iso3:
            runs[-1] = (iso3, runs[-1][1] + km, runs[-1][2])
        else:
            runs.append((iso3, km, position))
    return runs


def land_sequence(runs: list[tuple[str, float, float]], start: tuple[str, str], end: tuple[str, str]
                  ) -> tuple[tuple[str, ...], tuple[Crossing, ...]]:
    """Countries in order and the crossings between them for a land leg from node *start* to node *end*
    (``(node id, iso3)`` each): slivers dropped, the end nodes' countries anchoring the sequence."""
    kept = [(iso3, position) for iso3, km, position in runs if km >= SLIVER_KM]
    seq: list[tuple[str, float]] = [(start[1], 0.0), *kept, (end[1], 1.0)]
    merged: list[tuple[str, float]] = []
    for iso3, position in seq:
        if not merged or merged[-1][0] != iso3:
            merged.append((iso3, position))
    crossings = tuple(Crossing(a, b, start[0] if position < 0.5 else end[0])
                      for (a, _), (b, position) in zip(merged, merged[1:]))
    return tuple(c for c, _ in merged), crossings


def sea_sequence(start: tuple[str, str], end: tuple[str, str]) -> tuple[tuple[str, ...], tuple[Crossing, ...]]:
    """A sea leg enters only its ports' countries; between two countries it is one crossing (at its start port)."""
    if start[1] == end[1]:
        return (start[1],), ()
    return (start[1], end[1]), (Crossing(start[1], end[1], start[0], ferry=True),)


def leg_of(row, countries: gpd.GeoDataFrame, tree: shapely.STRtree, node_iso3: dict[str, str]) -> Leg:
    start, end = (row["from"], node_iso3[row["from"]]), (row["to"], node_iso3[row["to"]])
    km_by_country = dict(row["crossing_km"])
    if row["mode"] == "sea":
        seq, crossings = sea_sequence(start, end)
    elif len([c for c in km_by_country if c != SEA]) <= 1 and start[1] == end[1]:
        seq, crossings = (start[1],), ()
    else:
        seq, crossings = land_sequence(country_runs(row.geometry, countries, tree), start, end)
    return Leg(row["id"], row["corridor"], row["name"], row["mode"], row["status"], row["from"], row["to"],
               round(float(row["length_km"]), 1), km_by_country, seq, crossings,
               tuple(filter(None, str(row["corridors"]).split(";"))), (), row.geometry)


def parse_km(text: str) -> dict[str, float]:
    """``"AZE 405.7; GEO 43.3"`` → ``{"AZE": 405.7, "GEO": 43.3}``.

    >>> parse_km("AZE 405.7; sea 1.2")
    {'AZE': 405.7, 'sea': 1.2}
    """
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in str(text or "").split(";"))):
        key, _, value = part.rpartition(" ")
        out[key] = float(value)
    return out


def merge_same_track(legs: list[Leg], order: list[str]) -> list[Leg]:
    """Merge legs of one mode between the same two nodes with the same length: one edge for one track.

    The leg kept is the one whose corridor comes first in ``routes/corridors.csv``; it names the others in
    ``also`` and is drawn by the corridors of all of them."""
    rank = {cid: i for i, cid in enumerate(order)}
    legs = sorted(legs, key=lambda leg: (rank.get(leg.corridor, len(rank)), leg.id))
    kept: list[Leg] = []
    for leg in legs:
        twin = next((k for i, k in enumerate(kept) if k.mode == leg.mode and k.status == leg.status
                     and {k.start, k.end} == {leg.start, leg.end}
                     and abs(k.km - leg.km) <= SAME_TRACK_TOLERANCE * max(k.km, leg.km)), None)
        if twin is None:
            kept.append(leg)
            continue
        i = kept.index(twin)
        kept[i] = Leg(twin.id, twin.corridor, twin.name, twin.mode, twin.status, twin.start, twin.end, twin.km,
                      twin.km_by_country, twin.countries, twin.crossings,
                      tuple(dict.fromkeys((*twin.drawn_by, *leg.drawn_by))), (*twin.also, leg.id), twin.geometry)
    return kept


def build_network(layers: Layers, modes: Iterable[str] = FREIGHT_MODES) -> Network:
    """The network of every segment of *layers* whose mode is in *modes* (built once per build)."""
    atlas = layers.atlas
    node_iso3 = dict(zip(atlas.nodes["id"], atlas.nodes["iso3"]))
    segments = layers.segments[layers.segments["mode"].isin(list(modes))].copy()
    segments["crossing_km"] = segments["km_by_country"].map(parse_km)
    tree = shapely.STRtree(atlas.countries.geometry.values)
    legs = [leg_of(row, atlas.countries, tree, node_iso3) for _, row in segments.iterrows()]
    legs = merge_same_track(legs, atlas.corridor_ids())
    import networkx as nx

    graph = nx.MultiGraph()
    nodes = {r["id"]: {"name": r["name"], "iso3": r["iso3"], "kind": r["kind"], "lon": float(r["lon"]),
                       "lat": float(r["lat"])} for _, r in atlas.nodes.iterrows()}
    for leg in legs:
        graph.add_edge(leg.start, leg.end, key=leg.id, leg=leg)
    for node in graph.nodes:
        graph.nodes[node].update(nodes.get(node, {}))
    countries = dict(zip(atlas.countries["iso3"], atlas.countries["name"]))
    names = dict(zip(atlas.corridors["id"], atlas.corridors["name"]))
    sizes = dict(zip(layers.corridors["id"], layers.corridors["length_km"].astype(float)))
    return Network(graph, {leg.id: leg for leg in legs}, nodes, countries, names, sizes)


def network_from_legs(legs: Iterable[Leg], nodes: dict[str, dict], countries: dict[str, str] | None = None,
                      corridor_names: dict[str, str] | None = None) -> Network:
    """A network from legs made by hand (tests, what-if studies): same graph as :func:`build_network`."""
    import networkx as nx

    legs = list(legs)
    graph = nx.MultiGraph()
    for leg in legs:
        graph.add_edge(leg.start, leg.end, key=leg.id, leg=leg)
    for node in graph.nodes:
        graph.nodes[node].update(nodes.get(node, {}))
    countries = countries or {c: c for n in nodes.values() for c in [n["iso3"]]}
    corridor_names = corridor_names or {leg.corridor: leg.corridor for leg in legs}
    return Network(graph, {leg.id: leg for leg in legs}, nodes, countries, corridor_names)
