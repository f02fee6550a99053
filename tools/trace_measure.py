"""Measure route geometry against the reference track: the figures of issue 11, before and after tracing.

For every land segment (rail, road, pipeline) of ``routes/*.geojson``:

- stations: of the OSM railway stations within 40 km of the line, the share within 3 km and their median
  distance (a line drawn along the track passes its stations; a chord does not);
- track: the line sampled every 250 m, each sample's distance to the nearest OSM railway way (or, for the
  pipelines, to the Global Energy Monitor trace), median and worst, over the samples that lie inside the
  reference extract's bounding box (the extracts are per-country boxes; elsewhere there is nothing to measure).

    python tools/trace_measure.py                  # markdown table of every segment
    python tools/trace_measure.py --json out.json  # the same as data
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trace_ref as ref  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: Countries whose OSM railway ways the extract holds (the other railway files are absent from the snapshot).
WAY_COUNTRIES = ("azerbaijan", "turkmenistan", "afghanistan", "bulgaria")
STATION_COUNTRIES = ("kazakhstan", "iran", "turkey", "turkmenistan", "uzbekistan", "azerbaijan", "russia",
                     "afghanistan", "bulgaria", "romania", "ukraine", "pakistan")
SAMPLE_M = 250.0
NEAR_M, WITHIN_M = 3000.0, 40000.0


@dataclass
class Measure:
    segment: str
    accuracy: str
    stations_within_40km: int
    share_within_3km: float | None
    median_station_km: float | None
    track_median_km: float | None
    track_max_km: float | None
    track_samples: int


def sample_points(coords: list[tuple[float, float]], proj: ref.LocalProjection, step: float = SAMPLE_M) -> np.ndarray:
    """The line in local metres, sampled every *step* metres (ends included)."""
    xy = np.array([proj.fwd(x, y) for x, y in coords])
    line = LineString(xy)
    n = max(2, int(line.length // step) + 1)
    pts = shapely.line_interpolate_point(line, np.linspace(0, line.length, n))
    return shapely.get_coordinates(pts)


def project_lines(lines: list[list[tuple[float, float]]], proj: ref.LocalProjection,
                  bounds: tuple[float, float, float, float], margin_deg: float = 0.5) -> list[LineString]:
    """The reference lines that come near *bounds* (lon/lat), in local metres."""
    x0, y0, x1, y1 = bounds
    out = []
    for line in lines:
        arr = np.asarray(line)
        if (arr[:, 0].max() < x0 - margin_deg or arr[:, 0].min() > x1 + margin_deg
                or arr[:, 1].max() < y0 - margin_deg or arr[:, 1].min() > y1 + margin_deg):
            continue
        xs, ys = proj_arrays(proj, arr)
        out.append(LineString(np.column_stack([xs, ys])))
    return out


def proj_arrays(proj: ref.LocalProjection, arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ref._aeqd(proj.lon0, proj.lat0)(arr[:, 0], arr[:, 1])


def distances_to_lines(points: np.ndarray, lines: list[LineString]) -> np.ndarray:
    """Each point's distance (m) to the nearest of *lines*."""
    if not lines:
        return np.full(len(points), np.inf)
    tree = shapely.STRtree(lines)
    pts = shapely.points(points)
    idx = tree.nearest(pts)
    return shapely.distance(pts, np.asarray(lines, dtype=object)[idx])


def station_figures(coords, stations: list[ref.Station], proj) -> tuple[int, float | None, float | None]:
    xy = np.array([proj.fwd(x, y) for x, y in coords])
    line = LineString(xy)
    x0, y0, x1, y1 = LineString(coords).bounds
    near = [s for s in stations if x0 - 0.6 <= s.lon <= x1 + 0.6 and y0 - 0.5 <= s.lat <= y1 + 0.5]
    if not near:
        return 0, None, None
    sx, sy = proj_arrays(proj, np.array([(s.lon, s.lat) for s in near]))
    d = shapely.distance(shapely.points(np.column_stack([sx, sy])), line)
    d = d[d <= WITHIN_M]
    if not len(d):
        return 0, None, None
    return len(d), float((d <= NEAR_M).mean()), float(np.median(d) / 1000)


def in_boxes(lonlat: np.ndarray, boxes: list[tuple[float, float, float, float]]) -> np.ndarray:
    keep = np.zeros(len(lonlat), dtype=bool)
    for x0, y0, x1, y1 in boxes:
        keep |= (lonlat[:, 0] >= x0) & (lonlat[:, 0] <= x1) & (lonlat[:, 1] >= y0) & (lonlat[:, 1] <= y1)
    return keep


def extract_boxes(osm_dir: Path, countries: tuple[str, ...]) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (lon/lat) of the country extracts, from the repository's manifest ([s, w, n, e])."""
    manifest = ref.git_json(osm_dir, "data/manifest.json")["countries"]  # type: ignore[index]
    return [(b[1], b[0], b[3], b[2]) for c in countries for b in [manifest[c]["bbox"]]]


def track_figures(coords, lines, proj, boxes) -> tuple[float | None, float | None, int]:
    pts = sample_points(coords, proj)
    inv = ref._aeqd(proj.lon0, proj.lat0)
    lon, lat = inv(pts[:, 0], pts[:, 1], direction="INVERSE")
    keep = in_boxes(np.column_stack([lon, lat]), boxes) if boxes else np.ones(len(pts), dtype=bool)
    if not keep.any():
        return None, None, 0
    d = distances_to_lines(pts[keep], project_lines(lines, proj, LineString(coords).bounds))
    return float(np.median(d) / 1000), float(d.max() / 1000), int(keep.sum())


def segments(root: Path = ROOT):
    for path in sorted((root / "routes").glob("*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            yield f["properties"], [tuple(c) for c in f["geometry"]["coordinates"]]


def measure_all(root: Path = ROOT, osm_dir: Path = ref.DEFAULT_OSM_DIR,
                gem_dir: Path = ref.DEFAULT_GEM_DIR) -> list[Measure]:
    ways = ref.osm_ways(osm_dir, WAY_COUNTRIES, status="construction").lines
    boxes = extract_boxes(osm_dir, WAY_COUNTRIES)
    stations = ref.osm_stations(osm_dir, STATION_COUNTRIES).stations
    pipes = {"btc/sangachal_ceyhan": ref.gem_pipeline(gem_dir, "P0644").lines,
             "igdir_nakhchivan_gas/igdir_sadarak": ref.gem_pipeline(gem_dir, "P2719").lines}
    out = []
    for p, coords in segments(root):
        if p["mode"] in ("sea", "cable"):
            continue
        sid = f"{p['corridor']}/{p['segment']}"
        proj = ref.projection_for(coords)
        n, share, med = station_figures(coords, stations, proj) if p["mode"] == "rail" else (0, None, None)
        if sid in pipes:
            tmed, tmax, ns = track_figures(coords, pipes[sid], proj, [])
        elif p["mode"] == "rail":
            tmed, tmax, ns = track_figures(coords, ways, proj, boxes)
        else:
            tmed, tmax, ns = None, None, 0
        out.append(Measure(sid, p["accuracy"], n, share, med, tmed, tmax, ns))
    return out


def fmt(v: float | None, pattern: str) -> str:
    return "–" if v is None else pattern.format(v)


def table(rows: list[Measure]) -> str:
    lines = ["| segment | accuracy | stations ≤ 40 km | share ≤ 3 km | median km | track median km | track max km |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for m in rows:
        lines.append(f"| {m.segment} | {m.accuracy} | {m.stations_within_40km} | "
                     f"{fmt(m.share_within_3km and m.share_within_3km * 100, '{:.0f} %')} | "
                     f"{fmt(m.median_station_km, '{:.1f}')} | {fmt(m.track_median_km, '{:.2f}')} | "
                     f"{fmt(m.track_max_km, '{:.1f}')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--osm", type=Path, default=ref.DEFAULT_OSM_DIR, help="bare git dir of " + ref.OSM_REPO)
    ap.add_argument("--gem", type=Path, default=ref.DEFAULT_GEM_DIR, help="bare git dir of " + ref.GEM_REPO)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    rows = measure_all(args.root, args.osm, args.gem)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in rows], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
