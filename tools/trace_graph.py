"""The geometry of tools/trace.py: a path along reference ways, a path through reference stations.

Pure functions on lon/lat lists (no files), so the tests can run them on small synthetic networks.

- ``way_path``: the reference lines become a graph (a vertex per distinct position, rounded to 1e-6°, an edge
  per consecutive pair, weighted by its length in metres); a way's end that lies within ``snap_m`` of a vertex of
  another way is joined to it (touching ways that do not share an OSM node). No other gap is bridged unless the
  caller allows ``bridge_m``: then way ends are joined to the nearest vertex of another way within that distance,
  and every bridge the path uses is reported. The path is the shortest one between the graph vertices nearest
  to the end points, through the ``via`` points in order.
- ``station_path``: stations within ``corridor_m`` of a guide line become a graph whose edges (up to ``hop_m``)
  cost their length squared, so the shortest path walks the chain of consecutive stations along the line rather
  than jumping; the line is the stations in that order, nothing else.
- ``simplify``: Douglas–Peucker in local metres, to a stated tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import shapely
import trace_ref as ref
from shapely.geometry import LineString

SNAP_M = 30.0


class TraceError(Exception):
    """No path along the reference between the points asked for."""


@dataclass
class WayPath:
    coords: list[tuple[float, float]]  # lon/lat, along the track
    bridges: list[float] = field(default_factory=list)  # metres of every gap bridged on the path
    end_gaps: tuple[float, float] = (0.0, 0.0)  # metres from the end points to the track


def _key(lon: float, lat: float) -> tuple[int, int]:
    return round(lon * 1e6), round(lat * 1e6)


def build_graph(lines: list[list[tuple[float, float]]], proj: ref.LocalProjection, *, snap_m: float = SNAP_M,
                bridge_m: float = 0.0) -> tuple[nx.Graph, np.ndarray, list[tuple[float, float]]]:
    """The ways as a graph: returns (graph, vertex positions in metres, vertex positions lon/lat)."""
    index: dict[tuple[int, int], int] = {}
    lonlat: list[tuple[float, float]] = []
    g = nx.Graph()
    ends: list[tuple[int, int]] = []  # (vertex, way number) of every way's two ends
    for w, line in enumerate(lines):
        ids = []
        for lon, lat in line:
            k = _key(lon, lat)
            if k not in index:
                index[k] = len(lonlat)
                lonlat.append((lon, lat))
            ids.append(index[k])
        ends += [(ids[0], w), (ids[-1], w)]
        for a, b in zip(ids, ids[1:]):
            if a != b:
                g.add_edge(a, b, way=w)
    arr = np.asarray(lonlat)
    tx = ref._aeqd(proj.lon0, proj.lat0)
    xs, ys = tx(arr[:, 0], arr[:, 1])
    xy = np.column_stack([xs, ys])
    for a, b in g.edges:
        g.edges[a, b]["weight"] = float(np.hypot(*(xy[a] - xy[b])))
    join_ends(g, xy, ends, snap_m, bridge_m)
    return g, xy, lonlat


def join_ends(g: nx.Graph, xy: np.ndarray, ends: list[tuple[int, int]], snap_m: float, bridge_m: float) -> None:
    """Join each way end to the nearest vertex of another component (snap), or within *bridge_m* (bridge)."""
    reach = max(snap_m, bridge_m)
    if reach <= 0 or not len(xy):
        return
    nodes = np.fromiter(g.nodes, dtype=int)
    tree = shapely.STRtree(shapely.points(xy[nodes]))
    comp = {n: i for i, c in enumerate(nx.connected_components(g)) for n in c}
    for v, _w in ends:
        if v not in comp or g.degree(v) != 1:
            continue
        hits = tree.query(shapely.points(xy[v]).buffer(reach))
        cands = [(float(np.hypot(*(xy[u] - xy[v]))), int(u)) for u in nodes[hits] if comp.get(int(u)) != comp[v]]
        if not cands:
            continue
        d, u = min(cands)
        kind = "snap" if d <= snap_m else "bridge"
        g.add_edge(v, u, weight=max(d, 0.01), kind=kind)


def nearest_vertex(g: nx.Graph, xy: np.ndarray, point_xy: tuple[float, float],
                   nodes: np.ndarray | None = None) -> tuple[int, float]:
    nodes = np.fromiter(g.nodes, dtype=int) if nodes is None else nodes
    d = np.hypot(xy[nodes, 0] - point_xy[0], xy[nodes, 1] - point_xy[1])
    i = int(np.argmin(d))
    return int(nodes[i]), float(d[i])


def stops_on_one_network(g: nx.Graph, xy: np.ndarray, points_xy: list[tuple[float, float]],
                         slack_m: float = 3000.0) -> list[tuple[int, float]]:
    """The vertex nearest to each point, all in one connected part of the network: of the parts that come
    within *slack_m* of the nearest track at every point, the one nearest in sum (a yard siding or a tram
    line next to a terminus is not the main line)."""
    best: list[tuple[int, float]] | None = None
    overall = [nearest_vertex(g, xy, p)[1] for p in points_xy]
    for comp in nx.connected_components(g):
        nodes = np.fromiter(comp, dtype=int)
        stops = [nearest_vertex(g, xy, p, nodes) for p in points_xy]
        if all(d <= o + slack_m for (_, d), o in zip(stops, overall)) and (
                best is None or sum(d for _, d in stops) < sum(d for _, d in best)):
            best = stops
    if best is None:
        raise TraceError("no connected part of the reference network comes near every end and via point")
    return best


def way_path(lines: list[list[tuple[float, float]]], points: list[tuple[float, float]], *,
             snap_m: float = SNAP_M, bridge_m: float = 0.0) -> WayPath:
    """The shortest path along *lines* through *points* (lon/lat: start, via…, end) in order."""
    proj = ref.projection_for(list(points))
    g, xy, lonlat = build_graph(lines, proj, snap_m=snap_m, bridge_m=bridge_m)
    if not g.number_of_nodes():
        raise TraceError("the reference has no line near the segment")
    stops = stops_on_one_network(g, xy, [proj.fwd(*p) for p in points])
    route: list[int] = [stops[0][0]]
    for (a, _), (b, _) in zip(stops, stops[1:]):
        leg = nx.shortest_path(g, a, b, weight="weight")
        route += leg[1:]
    bridges = [g.edges[a, b]["weight"] for a, b in zip(route, route[1:]) if g.edges[a, b].get("kind") == "bridge"]
    return WayPath([lonlat[i] for i in route], bridges, (stops[0][1], stops[-1][1]))


def simplify(coords: list[tuple[float, float]], tolerance_m: float) -> list[tuple[float, float]]:
    """Douglas–Peucker in local metres (every dropped vertex within *tolerance_m* of the kept line)."""
    if len(coords) <= 2:
        return list(coords)
    proj = ref.projection_for(coords)
    arr = np.asarray(coords)
    tx = ref._aeqd(proj.lon0, proj.lat0)
    xs, ys = tx(arr[:, 0], arr[:, 1])
    simple = LineString(np.column_stack([xs, ys])).simplify(tolerance_m, preserve_topology=False)
    sx, sy = shapely.get_coordinates(simple).T
    lon, lat = tx(sx, sy, direction="INVERSE")
    return list(zip(lon.tolist(), lat.tolist()))


def station_path(stations: list[ref.Station], start: tuple[float, float], end: tuple[float, float],
                 guide: list[tuple[float, float]], *, corridor_m: float = 30000.0,
                 hop_m: float = 60000.0, power: float = 1.3, within=None) -> list[ref.Station]:
    """The stations, in line order, of the chain from *start* to *end* that stays within *corridor_m* of *guide*.

    Edges cost their length to the power *power* (> 1): ten 10 km hops (200) beat one 100 km jump (398), so the
    path takes every station of the chain rather than cutting across; at 1.3 (not 2) a detour through the
    stations of a neighbouring line costs more than the straight hop it would replace. With *within* (a lon/lat
    area) only stations and hops inside it are used.
    """
    proj = ref.projection_for(list(guide) + [start, end])
    tx = ref._aeqd(proj.lon0, proj.lat0)
    gx, gy = tx(np.asarray(guide)[:, 0], np.asarray(guide)[:, 1])
    band = LineString(np.column_stack([gx, gy])).buffer(corridor_m)
    seen: set[tuple[float, float]] = set()
    cand = []
    for s in stations:  # one station per position (OSM sometimes maps a station twice, under two names)
        if (s.lon, s.lat) not in seen and band.covers(shapely.Point(tx(s.lon, s.lat))) and (
                within is None or within.covers(shapely.Point(s.lon, s.lat))):
            seen.add((s.lon, s.lat))
            cand.append(s)
    pts = [start, *((s.lon, s.lat) for s in cand), end]
    px, py = tx(np.asarray(pts)[:, 0], np.asarray(pts)[:, 1])
    xy = np.column_stack([px, py])
    g = nx.Graph()
    g.add_nodes_from(range(len(pts)))
    if within is not None:
        shapely.prepare(within)
    tree = shapely.STRtree(shapely.points(xy))
    for i in range(len(pts)):
        for j in tree.query(shapely.points(xy[i]).buffer(hop_m)):
            if j > i and (within is None or within.covers(LineString([pts[i], pts[int(j)]]))):
                d = float(np.hypot(*(xy[i] - xy[j])))
                g.add_edge(i, int(j), weight=d**power + 1.0)
    try:
        path = nx.shortest_path(g, 0, len(pts) - 1, weight="weight")
    except nx.NetworkXNoPath as exc:
        raise TraceError(f"no chain of stations (hops ≤ {hop_m / 1000:g} km) from {start} to {end}") from exc
    return [cand[i - 1] for i in path[1:-1]]


def station_path_via(stations: list[ref.Station], start: tuple[float, float], vias: list[ref.Station],
                     end: tuple[float, float], **kw) -> list[ref.Station]:
    """``station_path`` leg by leg through the *vias*, each leg guided by its own straight line (for a line
    that leaves the band of the earlier drawing)."""
    stops = [start, *((s.lon, s.lat) for s in vias), end]
    chain: list[ref.Station] = []
    for i, (a, b) in enumerate(zip(stops, stops[1:])):
        chain += station_path(stations, a, b, [a, b], **kw)
        chain += vias[i: i + 1]
    return chain
