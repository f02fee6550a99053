"""Trace route segments along their reference: OpenStreetMap railway ways and stations, Global Energy Monitor
pipeline routes. Re-runnable; writes the geometry back into ``routes/<corridor>.geojson``.

    python tools/trace.py                      # retrace every segment of PLAN
    python tools/trace.py titr/shalkar_beyneu  # one or more segments
    python tools/trace.py --dry-run            # trace and report, write nothing
    python tools/trace.py --sample             # also write tests/data/reference/ (the test sample)

Methods (see ``routes/README.md``, "Tracing"):

- ``ways``: the shortest path over the OSM railway ways joined into a graph (touching ways joined when their
  ends lie within 30 m; no other gap bridged unless the plan allows it and then each bridge is named in the
  note), between the track vertices nearest to the segment's end nodes (and through its ``via`` stations),
  simplified with Douglas–Peucker at 100 m. ``accuracy: high``.
- ``stations``: the OSM stations of the line, in line order (a chain of hops of at most 60 km along the current
  line), and nothing between them. ``accuracy: medium``.
- ``pipeline``: the Global Energy Monitor route between the points nearest to the end nodes, simplified at
  100 m. ``accuracy: high``.

The end vertices are the end nodes themselves (geo/nodes.csv), so segments still meet; where a node lies away
from the track (a port gate, a city centre) the connector is named in the note with its length.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Point

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trace_graph as tg  # noqa: E402
import trace_ref as ref  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIMPLIFY_M = 100.0
#: A node farther than this from the reference is not joined to it: the reference does not cover the segment.
MAX_CONNECTOR_M = 5000.0
HOP_M = 120000.0
DENSIFY_M = 45000.0
CORRIDOR_M = 30000.0
MARK = "(tools/trace.py)"  # ends the tracer's part of ``source``
END = "Traced by tools/trace.py."  # ends the tracer's part of ``note``


@dataclass(frozen=True)
class Plan:
    segment: str  # corridor/segment
    method: str  # ways | stations | pipeline
    reference: tuple[str, ...]  # OSM countries, or the GEM project id
    via: tuple[str, ...] = ()  # OSM station names the path must pass, in order
    bridge_m: float = 0.0
    corridor_m: float = CORRIDOR_M
    extra: str = ""  # a sentence for the note
    via_names: str = ""  # replaces ``via`` where the earlier list named places the track does not pass
    skip: str = ""  # a regular expression: stations whose name matches are not on this line


#: The Araz lines run on the Azerbaijani bank; Natural Earth's border, simplified to ~1 km (geo/README.md), cuts
#: the river's meanders, so up to ~3.5 km of the real track falls on its Iranian side.
ARAZ = ("The track follows the north (Azerbaijani) bank of the Araz; Natural Earth's simplified border cuts the "
        "river's meanders, so part of it measures as Iran in the km per country.")
AZ, TM, AF = ("azerbaijan",), ("turkmenistan",), ("afghanistan",)
KZ, IR, UZ = ("kazakhstan",), ("iran",), ("uzbekistan",)
TR, RU = ("turkey",), ("russia",)

PLAN: tuple[Plan, ...] = (
    # Azerbaijan extract (queried in lon 44.77–50.63, lat 38.39–41.91, with every way that crosses that box in full:
    # Nakhchivan, eastern Georgia to Tbilisi; Tbilisi–Akhalkalaki is cut at the box's edge, so not traced).
    # The OSM track leaves Baku by Keşlə and Biləcəri, not along the coast by Bibiheybat (no way there).
    Plan("btk/baku_alat", "ways", AZ, via_names="Baku; Keşlə; Biləcəri; Abşeron; Lökbatan; Qaradağ; Səngəçal; "
         "Qobustan; Alat", extra="Via: the OSM stations within 800 m of the track."),
    Plan("btk/alat_tbilisi", "ways", AZ),
    # The OSM track runs from Sumqayıtçay straight to Qaradağ, by-passing Baku (Biləcəri, Lökbatan).
    Plan("north_south/samur_alat", "ways", AZ, via_names="Yalama; Xudat; Xaçmaz; Şabran; Siyəzən; Giləzi; Yaşma; "
         "Hacı Zeynalabdin; Sumqayıtçay; Qaradağ; Səngəçal; Qobustan",
         extra="Via: the OSM stations within 800 m of the track."),
    Plan("north_south/alat_astara_az", "ways", AZ),
    Plan("north_south/astara_az_astara_ir", "ways", AZ),
    Plan("zangezur/alat_horadiz", "ways", AZ),
    Plan("zangezur/horadiz_aghband", "ways", AZ, extra=ARAZ),
    Plan("zangezur/ordubad_border_ordubad", "ways", AZ, extra=ARAZ),
    Plan("zangezur/ordubad_julfa", "ways", AZ, extra=ARAZ),
    Plan("zangezur/julfa_nakhchivan", "ways", AZ, extra=ARAZ),
    Plan("zangezur/nakhchivan_sadarak", "ways", AZ, extra=ARAZ),
    # Turkmenistan extract (lon 52.5–66.7, lat 35.1–42.8, and the ways crossing it: Bukhara region, Golestan).
    Plan("middle_corridor/kagan_turkmenabat", "ways", TM),
    Plan("middle_corridor/turkmenabat_mary", "ways", TM),
    Plan("middle_corridor/mary_bereket", "ways", TM),
    Plan("middle_corridor/bereket_turkmenbashi", "ways", TM),
    Plan("lapis_lazuli/torghundi_serhetabat", "ways", TM + AF),
    Plan("lapis_lazuli/serhetabat_mary", "ways", TM),
    Plan("lapis_lazuli/aqina_kerki", "ways", TM + AF),
    Plan("lapis_lazuli/kerki_turkmenabat", "ways", TM),
    Plan("north_south/zhanaozen_bereket", "ways", TM),
    Plan("north_south/bereket_gorgan", "ways", TM),
    # Kazakhstan, Uzbekistan, Iran: the snapshot has their stations but not their ways.
    Plan("titr/dostyk_aktogay", "stations", KZ),
    Plan("titr/aktogay_zhetygen", "stations", KZ),
    Plan("titr/khorgos_zhetygen", "stations", KZ),
    Plan("titr/zhetygen_shu", "stations", KZ),
    Plan("titr/shu_arys", "stations", KZ),
    Plan("titr/arys_saksaulskaya", "stations", KZ),
    Plan("titr/saksaulskaya_shalkar", "stations", KZ),
    Plan("titr/shalkar_beyneu", "stations", KZ, corridor_m=60000.0),
    Plan("titr/beyneu_aktau", "stations", KZ),
    Plan("northern_route/dostyk_aktogay", "stations", KZ),
    Plan("northern_route/aktogay_moiynty", "stations", KZ),
    Plan("northern_route/moiynty_astana", "stations", KZ),
    Plan("northern_route/astana_petropavl", "stations", KZ),
    # The main line (its earlier via: Syrdarya, Gulistan, Khavast, Jizzakh), not the line by Dustlik next to the
    # Kazakh border, which is shorter and so what the chain takes unaided.
    Plan("middle_corridor/tashkent_kagan", "stations", UZ, via=("Gulistan", "Khavast")),
    Plan("middle_corridor/andijan_tashkent", "stations", UZ),
    # Freight runs on the conventional lines: the high-speed (YHT) stations beside them are another line.
    Plan("middle_corridor/kars_ankara", "stations", TR, skip=r"\bYHT\b"),
    # by Arifiye: the line loops north through the Sakarya valley, which hop costs alone would cut.
    Plan("middle_corridor/ankara_istanbul", "stations", TR, skip=r"\bYHT\b", via=("Eskişehir", "Arifiye"),
         corridor_m=50000.0),
    Plan("north_south/makhachkala_samur", "stations", RU),
    Plan("north_south/rasht_qazvin", "stations", IR),
    Plan("north_south/qazvin_tehran", "stations", IR),
    Plan("north_south/tehran_qom", "stations", IR),
    Plan("north_south/qom_bafq", "stations", IR),
    Plan("north_south/bafq_sirjan", "stations", IR),
    Plan("north_south/sirjan_bandar_abbas", "stations", IR, corridor_m=60000.0),
    # Global Energy Monitor.
    Plan("btc/sangachal_ceyhan", "pipeline", ("P0644",)),
    Plan("igdir_nakhchivan_gas/igdir_sadarak", "pipeline", ("P2719",)),
)


@dataclass
class Traced:
    plan: Plan
    coords: list[tuple[float, float]]
    accuracy: str
    reference: ref.Reference
    note: str
    via: str | None = None
    stations: list[ref.Station] = field(default_factory=list)
    track: list[tuple[float, float]] = field(default_factory=list)  # the reference path followed, unsimplified
    gaps: tuple[float, float] = (0.0, 0.0)  # metres from the end nodes to the track (straight connectors)


# --- reading and writing routes ------------------------------------------------------------------------------

def read_nodes(root: Path) -> dict[str, tuple[float, float]]:
    import csv

    with open(root / "geo/nodes.csv", encoding="utf-8", newline="") as fh:
        return {r["id"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(fh)}


def read_layer(root: Path, corridor: str) -> dict:
    return json.loads((root / "routes" / f"{corridor}.geojson").read_text(encoding="utf-8"))


def find_feature(layer: dict, segment: str) -> dict:
    for f in layer["features"]:
        if f["properties"]["segment"] == segment:
            return f
    raise SystemExit(f"routes/{layer['features'][0]['properties']['corridor']}.geojson: no segment {segment!r}")


def write_layer(root: Path, corridor: str, layer: dict) -> None:
    from corridormap._io import write_text

    write_text(root / "routes" / f"{corridor}.geojson", json.dumps(layer, indent=1, ensure_ascii=False) + "\n")


# --- tracing -------------------------------------------------------------------------------------------------

def ends(feature: dict, nodes: dict[str, tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    p = feature["properties"]
    return nodes[p["from"]], nodes[p["to"]]


def near_bounds(lines, points, margin: float = 0.6):
    """Only the reference lines within *margin* degrees of the points' box: a smaller graph."""
    arr = np.asarray(points)
    x0, y0 = arr.min(axis=0) - margin
    x1, y1 = arr.max(axis=0) + margin
    return [ln for ln in lines
            if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in ln[:: max(1, len(ln) // 4)] + ln[-1:])]


def station_lookup(stations: list[ref.Station], name: str, near: list[tuple[float, float]]) -> ref.Station:
    arr = np.asarray(near)
    (x0, y0), (x1, y1) = arr.min(axis=0) - 0.5, arr.max(axis=0) + 0.5
    hits = [s for s in stations if name in (s.name, s.name_local) and x0 <= s.lon <= x1 and y0 <= s.lat <= y1]
    if len(hits) != 1:
        raise SystemExit(f"via station {name!r}: expected one OSM station of that name near the segment, "
                         f"found {len(hits)}")
    return hits[0]


def trace_ways(plan: Plan, feature: dict, nodes, osm_dir: Path) -> Traced:
    start, end = ends(feature, nodes)
    status = feature["properties"]["status"]
    reference = ref.osm_ways(osm_dir, plan.reference, status=status)
    points = [start, end]
    if plan.via:
        st = ref.osm_stations(osm_dir, plan.reference).stations
        vias = [station_lookup(st, v, points) for v in plan.via]
        points = [start, *((s.lon, s.lat) for s in vias), end]
    lines = near_bounds(reference.lines, points)
    path = tg.way_path(lines, points, bridge_m=plan.bridge_m)
    path.end_gaps = (ref.haversine_m(start, path.coords[0]), ref.haversine_m(end, path.coords[-1]))
    check_gaps(plan, path.end_gaps, feature["properties"])
    coords = densify(join_ends(start, tg.simplify(path.coords, SIMPLIFY_M), end), DENSIFY_M)
    kinds = "operating and under-construction track" if status == "construction" else "operating track"
    note = (f"Geometry: the shortest path along the OpenStreetMap railway ways ({kinds}) between the track points "
            f"nearest to the end nodes, simplified at {SIMPLIFY_M:g} m.")
    note += connector_note(path.end_gaps, feature["properties"])
    if path.bridges:
        note += (f" {len(path.bridges)} gap(s) in the OSM ways bridged (longest {max(path.bridges):.0f} m).")
    return Traced(plan, coords, "high", reference, note + (" " + plan.extra if plan.extra else ""),
                  via=plan.via_names or None, track=path.coords, gaps=path.end_gaps)


def check_gaps(plan: Plan, gaps: tuple[float, float], props: dict) -> None:
    for end, gap in zip(("from", "to"), gaps):
        if gap > MAX_CONNECTOR_M:
            raise tg.TraceError(f"{plan.segment}: node {props[end]} lies {gap / 1000:.1f} km from the nearest "
                                f"reference point (at most {MAX_CONNECTOR_M / 1000:g} km): the reference does not "
                                "cover this segment")


def connector_note(gaps: tuple[float, float], props: dict) -> str:
    parts = [f"{props[k]} lies {g / 1000:.1f} km from the track" for k, g in zip(("from", "to"), gaps) if g > 1000]
    return (" The line joins the node by a straight connector where " + " and ".join(parts) + ".") if parts else ""


def join_ends(start, coords, end) -> list[tuple[float, float]]:
    """The node, the path, the node; a path vertex within 5 m of its node is the node."""
    out = list(coords)
    if ref.haversine_m(out[0], start) < 5:
        out = out[1:]
    if ref.haversine_m(out[-1], end) < 5:
        out = out[:-1]
    return [start, *out, end]


def densify(coords: list[tuple[float, float]], step_m: float) -> list[tuple[float, float]]:
    """Geodesic intermediate vertices on every span longer than *step_m* (the same line, no new place)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    out = [coords[0]]
    for a, b in zip(coords, coords[1:]):
        n = int(ref.haversine_m(a, b) // step_m)
        if n:
            out += [(round(x, 5), round(y, 5)) for x, y in geod.npts(a[0], a[1], b[0], b[1], n)]
        out.append(b)
    return out


def home_countries(root: Path, feature: dict):
    """The countries of the segment's end nodes (geo/countries.geojson, buffered ~2 km): the extracts are
    boxes, so they also hold the stations of neighbouring countries' lines, which a domestic line never passes."""
    import csv

    from shapely.geometry import shape
    from shapely.ops import unary_union

    p = feature["properties"]
    with open(root / "geo/nodes.csv", encoding="utf-8", newline="") as fh:
        iso = {r["id"]: r["iso3"] for r in csv.DictReader(fh)}
    wanted = {iso[p["from"]], iso[p["to"]]}
    shapes = json.loads((root / "geo/countries.geojson").read_text(encoding="utf-8"))["features"]
    return unary_union([shape(f["geometry"]) for f in shapes if f["properties"]["iso3"] in wanted]).buffer(0.02)


def station_chain(plan: Plan, stations: list[ref.Station], start, end, guide, home) -> list[ref.Station]:
    """The chain from *start* to *end* along *guide*; with ``plan.via``, leg by leg through those stations
    (each leg guided by its straight line), for a line that leaves the earlier drawing's band."""
    if not plan.via:
        return tg.station_path(stations, start, end, guide, corridor_m=plan.corridor_m, hop_m=HOP_M, within=home)
    vias = [station_lookup(stations, v, guide) for v in plan.via]
    return tg.station_path_via(stations, start, vias, end, corridor_m=plan.corridor_m, hop_m=HOP_M, within=home)


def guide_text(plan: Plan) -> str:
    if not plan.via:
        return "the earlier line"
    return f"the straight lines through the stations {', '.join(plan.via)}, which the line must pass"


def trace_stations(plan: Plan, feature: dict, nodes, osm_dir: Path) -> Traced:
    start, end = ends(feature, nodes)
    reference = ref.osm_stations(osm_dir, plan.reference)
    if plan.skip:
        reference.stations = [s for s in reference.stations if not re.search(plan.skip, f"{s.name} {s.name_local}")]
    home = home_countries(ROOT, feature)
    guide = [tuple(c) for c in feature["geometry"]["coordinates"]]
    chain = station_chain(plan, reference.stations, start, end, guide, home)
    stops = [start, *((s.lon, s.lat) for s in chain), end]
    hops = [ref.haversine_m(a, b) for a, b in zip(stops, stops[1:])]
    coords = densify(stops, DENSIFY_M)
    filled = sum(1 for h in hops if h > DENSIFY_M)
    names = [s.name for s in chain if s.name and not re.fullmatch(r"[\d\s]+(км|km|бп|рзд)?\.?", s.name)]
    note = (f"Geometry: through the {len(chain)} OpenStreetMap railway stations of the line, in line order (the "
            f"chain of hops of at most {HOP_M / 1000:g} km, each costing its length to the power 1.3, within "
            f"{plan.corridor_m / 1000:g} km of {guide_text(plan)} and hops inside the end nodes' countries), "
            f"straight (geodesic) between stations (longest hop {max(hops) / 1000:.0f} km"
            + (f"; {filled} hop(s) over {DENSIFY_M / 1000:g} km carry geodesic intermediate vertices" if filled else "")
            + "); OSM has no track geometry for this country in the extract used, so accuracy is medium.")
    return Traced(plan, coords, "medium", reference, note, via="; ".join(dict.fromkeys(names)), stations=chain)


def trace_pipeline(plan: Plan, feature: dict, nodes, gem_dir: Path) -> Traced:
    start, end = ends(feature, nodes)
    reference = ref.gem_pipeline(gem_dir, plan.reference[0])
    proj = ref.projection_for(reference.lines[0] + [start, end])
    parts = [LineString([proj.fwd(*p) for p in ln]) for ln in reference.lines]
    line = max(parts, key=lambda ln: ln.length)
    a, b = (line.project(Point(proj.fwd(*p))) for p in (start, end))
    piece = shapely.ops.substring(line, min(a, b), max(a, b))
    xy = list(piece.coords) if a <= b else list(piece.coords)[::-1]
    track = [proj.inv(x, y) for x, y in xy]
    gaps = (line.distance(Point(proj.fwd(*start))), line.distance(Point(proj.fwd(*end))))
    check_gaps(plan, gaps, feature["properties"])
    coords = densify(join_ends(start, tg.simplify(track, SIMPLIFY_M), end), DENSIFY_M)
    note = (f"Geometry: Global Energy Monitor's route {plan.reference[0]} between the points nearest to the end "
            f"nodes, simplified at {SIMPLIFY_M:g} m.") + connector_note(gaps, feature["properties"])
    return Traced(plan, coords, "high", reference, note, track=track, gaps=gaps)


def trace_one(plan: Plan, feature: dict, nodes, osm_dir: Path, gem_dir: Path) -> Traced:
    if plan.method == "ways":
        return trace_ways(plan, feature, nodes, osm_dir)
    if plan.method == "stations":
        return trace_stations(plan, feature, nodes, osm_dir)
    return trace_pipeline(plan, feature, nodes, gem_dir)


# --- properties ----------------------------------------------------------------------------------------------

_GEOMETRY_WORDS = ("interpolat", "vertices", "vertex", "chord", "accuracy", "span(s)", "end points only",
                   "drawn", "straight line", "traced")


def kept_note(note: str) -> str:
    """The earlier note without its geometry caveats (which the trace replaces) and without an earlier trace."""
    if END in note:
        return note.split(END, 1)[1].strip()
    sentences = re.split(r"(?<=[.;])\s+(?=[A-Z(])", note)
    return " ".join(s for s in sentences if s and not any(w in s.lower() for w in _GEOMETRY_WORDS))


def kept_source(source: str) -> str:
    return source.split(f"{MARK}; ", 1)[1] if MARK in source else source


def apply(feature: dict, t: Traced) -> None:
    p = feature["properties"]
    kind = {"ways": "OpenStreetMap railway ways", "stations": "OpenStreetMap railway stations",
            "pipeline": "Global Energy Monitor pipeline route"}[t.plan.method]
    p["accuracy"] = t.accuracy
    p["source"] = f"{kind}, {t.reference.cite()} {MARK}; {kept_source(p['source'])}"
    if t.via is not None:
        p["via"] = t.via
    rest = kept_note(p.get("note", ""))
    p["note"] = f"{t.note} {END}" + (" " + rest if rest else "")
    p["licence"] = t.reference.licence
    feature["geometry"] = {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in t.coords]}


def run(selected: list[Plan], root: Path, osm_dir: Path, gem_dir: Path, dry_run: bool) -> list[Traced]:
    nodes = read_nodes(root)
    done: list[Traced] = []
    layers: dict[str, dict] = {}
    for plan in selected:
        corridor, segment = plan.segment.split("/")
        layer = layers.setdefault(corridor, read_layer(root, corridor))
        feature = find_feature(layer, segment)
        t = trace_one(plan, feature, nodes, osm_dir, gem_dir)
        apply(feature, t)
        done.append(t)
        km = LineString(t.coords).length * 111  # rough, for the log only
        print(f"{plan.segment}: {plan.method}, {len(t.coords)} vertices, ~{km:.0f} km", file=sys.stderr)
    if not dry_run:
        for corridor, layer in layers.items():
            write_layer(root, corridor, layer)
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("segments", nargs="*", help="corridor/segment ids (default: every segment of the plan)")
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--osm", type=Path, default=ref.DEFAULT_OSM_DIR, help="bare git dir of " + ref.OSM_REPO)
    ap.add_argument("--gem", type=Path, default=ref.DEFAULT_GEM_DIR, help="bare git dir of " + ref.GEM_REPO)
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--sample", action="store_true", help="write the test sample tests/data/reference/")
    args = ap.parse_args(argv)
    known = {p.segment: p for p in PLAN}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        ap.error(f"not in the plan: {', '.join(unknown)}")
    selected = [known[s] for s in args.segments] if args.segments else list(PLAN)
    done = run(selected, args.root, args.osm, args.gem, args.dry_run)
    if args.sample and not args.dry_run:
        import trace_sample

        trace_sample.write(done, args.root, set(known), args.osm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
