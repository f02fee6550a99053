"""Check images for traced segments: the route over its reference, at about web-map zoom 9–10.

The OpenStreetMap tiles cannot be loaded offline, so the check draws the reference itself (OSM railway ways in
grey, OSM stations as dots, a GEM trace in grey) under the committed line (blue) and, optionally, the line
before tracing (dashed red) from an older copy of routes/.

    python tools/trace_check.py titr/shalkar_beyneu --out /tmp/check.png [--before /tmp/routes_before]
    python tools/trace_check.py --bbox 61.5,35.1,62.5,37.7 --out /tmp/serhetabat.png

Scale: ``--m-per-px`` (default 150, about zoom 10 at 45° N; 300 is about zoom 9).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trace_measure as tm  # noqa: E402
import trace_ref as ref  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def lines_in(root: Path, bbox) -> list[tuple[str, list]]:
    x0, y0, x1, y1 = bbox
    out = []
    for p, coords in tm.segments(root):
        if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in coords):
            out.append((f"{p['corridor']}/{p['segment']}", coords))
    return out


def draw(bbox, out: Path, root: Path, before: Path | None, m_per_px: float, max_px: int = 2400) -> Path:
    x0, y0, x1, y1 = bbox
    lat0 = (y0 + y1) / 2
    w_m = (x1 - x0) * 111320 * math.cos(math.radians(lat0))
    h_m = (y1 - y0) * 110574
    scale = max(m_per_px, w_m / max_px, h_m / max_px)
    fig = plt.figure(figsize=(w_m / scale / 100, h_m / scale / 100), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.set_axis_off()
    for f in json.loads((root / "geo/countries.geojson").read_text(encoding="utf-8"))["features"]:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            ax.plot(*zip(*poly[0]), color="#2ca02c", lw=0.8, zorder=0)
    ways = ref.osm_ways(ref.DEFAULT_OSM_DIR, tm.WAY_COUNTRIES, status="construction").lines
    for ln in ways:
        if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in ln[:: max(1, len(ln) // 8)] + ln[-1:]):
            ax.plot(*zip(*ln), color="#888888", lw=2.2, zorder=1)
    for project in ("P0644", "P2719"):
        for ln in ref.gem_pipeline(ref.DEFAULT_GEM_DIR, project).lines:
            ax.plot(*zip(*ln), color="#aaaaaa", lw=3, zorder=1)
    st = [s for s in ref.osm_stations(ref.DEFAULT_OSM_DIR, tm.STATION_COUNTRIES).stations
          if x0 <= s.lon <= x1 and y0 <= s.lat <= y1]
    ax.scatter([s.lon for s in st], [s.lat for s in st], s=14, color="#222222", zorder=3)
    if before is not None:
        for _, coords in lines_in(before, bbox):
            ax.plot(*zip(*coords), color="#D55E00", lw=1.4, ls="--", zorder=2)
    for _, coords in lines_in(root, bbox):
        ax.plot(*zip(*coords), color="#0072B2", lw=1.6, zorder=4)
    fig.savefig(out)
    plt.close(fig)
    return out


def segment_bbox(root: Path, sid: str, pad: float = 0.1):
    for p, coords in tm.segments(root):
        if f"{p['corridor']}/{p['segment']}" == sid:
            xs, ys = zip(*coords)
            return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad
    raise SystemExit(f"no segment {sid}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("segment", nargs="?")
    ap.add_argument("--bbox", help="lon0,lat0,lon1,lat1")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--before", type=Path, help="a copy of an earlier root (its routes/ drawn dashed)")
    ap.add_argument("--m-per-px", type=float, default=150.0)
    args = ap.parse_args(argv)
    bbox = tuple(map(float, args.bbox.split(","))) if args.bbox else segment_bbox(args.root, args.segment)
    draw(bbox, args.out, args.root, args.before, args.m_per_px)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
