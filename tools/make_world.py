"""Regenerate ``geo/world.geojson``: a coarse world base drawn beyond the region (Natural Earth via ``world-atlas``).

Run from the repository root::

    python tools/make_world.py                                  # npm pack world-atlas@2.0.2, countries-50m.json
    python tools/make_world.py --topojson path/to/countries-50m.json --tolerance 0.08 --digits 2

Processing (documented in geo/README.md): decode the TopoJSON with the functions of ``tools/make_countries.py``
(imported, not copied); simplify every arc once (Douglas-Peucker, ``--tolerance`` degrees) so that neighbours
keep one shared border; assemble and repair the polygons; clip to ``--bbox`` (default lon -30..180, lat -5..85:
everything a map of the corridors can pan to) minus the corridor region (``REGION_BOUNDS``) shrunk by
``--overlap`` degrees, where geo/countries.geojson draws the detail: inside the region the coarse coasts would show
as land over the sea, and the small overlap leaves no hairline at the region's edge; drop polygon parts smaller
than ``--min-area`` square degrees (specks that vanish at the zooms this layer is seen at); merge units as
make_countries does (Baikonur into Kazakhstan); attach ``iso3`` and ``name``; round to ``--digits`` decimals;
right-hand winding. The same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, box, mapping

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))
from make_countries import (  # noqa: E402
    NO_NUMERIC,
    WORLD_ATLAS,
    country_geometry,
    decode_arcs,
    iso3_table,
    merge_units,
    polygonal,
    round_coords,
    simplify_arcs,
)

from corridormap._io import write_text  # noqa: E402
from corridormap.settings import REGION_BOUNDS  # noqa: E402

#: lon -30..180, lat -5..85: the Atlantic coasts of Europe and Africa to the Pacific, the Equator to the Arctic.
DEFAULT_BBOX = (-30.0, -5.0, 180.0, 85.0)


def fetch_topojson(workdir: Path, member: str) -> Path:
    """Download the world-atlas tarball with npm and return the path of *member* (e.g. countries-50m.json)."""
    subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extract(f"package/{member}", workdir, filter="data")
    return workdir / "package" / member


def drop_specks(shape: MultiPolygon | None, min_area: float) -> MultiPolygon | None:
    """*shape* without the polygon parts smaller than *min_area* square degrees (None when nothing is left)."""
    if shape is None:
        return None
    parts = [p for p in shape.geoms if p.area >= min_area]
    return MultiPolygon(parts) if parts else None


def build(topo: dict, tolerance: float, bbox: tuple[float, float, float, float], min_area: float,
          digits: int, overlap: float) -> dict:
    """The clipped, simplified countries of *topo* beyond the region, with ``iso3`` and ``name``."""
    arcs = simplify_arcs(decode_arcs(topo), tolerance)
    numeric = iso3_table()
    x0, y0, x1, y1 = REGION_BOUNDS
    frame = box(*bbox).difference(box(x0 + overlap, y0 + overlap, x1 - overlap, y1 - overlap))
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        iso3 = numeric.get(geom.get("id", ""), NO_NUMERIC.get(name))
        shape = country_geometry(geom, arcs)
        if shape is None or iso3 is None or not shape.intersects(frame):
            continue
        clipped = polygonal(shapely.make_valid(shapely.set_precision(shape.intersection(frame), 10 ** -digits)))
        clipped = drop_specks(clipped, min_area)
        if clipped is None:
            continue
        features.append({"type": "Feature", "properties": {"iso3": iso3, "name": name},
                         "geometry": mapping(clipped)})
    features = merge_units(features)
    for f in features:
        f["geometry"]["coordinates"] = round_coords(f["geometry"]["coordinates"], digits)
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="a local countries-50m.json or -110m.json (default: npm pack)")
    parser.add_argument("--member", default="countries-50m.json", help="file of the world-atlas package to use")
    parser.add_argument("--tolerance", type=float, default=0.08, help="arc simplification, degrees")
    parser.add_argument("--min-area", type=float, default=0.05, help="drop polygon parts smaller than this, deg²")
    parser.add_argument("--digits", type=int, default=2, help="decimals of the coordinates")
    parser.add_argument("--bbox", type=float, nargs=4, default=DEFAULT_BBOX, metavar=("W", "S", "E", "N"))
    parser.add_argument("--overlap", type=float, default=0.05, help="how far the base reaches into the region, °")
    parser.add_argument("--out", type=Path, default=ROOT / "geo" / "world.geojson")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.topojson or fetch_topojson(Path(tmp), args.member)
        topo = json.loads(Path(path).read_text(encoding="utf-8"))
    collection = build(topo, args.tolerance, tuple(args.bbox), args.min_area, args.digits, args.overlap)
    write_text(args.out, json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"wrote {args.out} ({len(collection['features'])} countries, {args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
