"""The test sample of the tracing references: tests/data/reference/reference.geojson (written by tools/trace.py).

Only what the tests need to check the committed geometry against its reference, not the extracts:

- ``track`` (traced segments): the reference lines within ``BUFFER_M`` of the traced segment, clipped to that
  band and thinned with Douglas–Peucker at ``THIN_M`` (so a distance measured to the sample is at most
  ``THIN_M`` + 10 m (4 decimals) more than to the reference; a band narrower than the test's 3 km can only
  make the test stricter, never let a line pass that is farther from the track); the track the tracer
  followed is kept whole, other lines only where they run for ``MIN_PIECE_M`` or more (sidings and yards are left out);
- ``stations`` (station-routed segments): the OSM stations the line claims to pass, with their OSM ids and names.

Each feature names its reference (repository, files, commit), its licence, and the connector lengths at the
segment's ends (node to track, straight, excluded from the track distance and stated in the segment's note).

    python tools/trace.py --sample      # retrace everything and rewrite the sample
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
import trace_ref as ref
from shapely.geometry import LineString, MultiLineString, mapping

SAMPLE = Path("tests/data/reference/reference.geojson")
BUFFER_M = 1000.0
THIN_M = 50.0
#: Pieces shorter than this (sidings, yard tracks) are left out: the sample keeps the lines, not the yards.
MIN_PIECE_M = 2000.0


def clipped_track(lines: list[list[tuple[float, float]]], segment: list[tuple[float, float]],
                  followed: list[tuple[float, float]]) -> list:
    """The reference within BUFFER_M of *segment*, thinned, in lon/lat (4 decimals, ~10 m): the track the
    tracer *followed* in full, the other lines where they run for at least MIN_PIECE_M."""
    proj = ref.projection_for(segment)
    tx = ref._aeqd(proj.lon0, proj.lat0)
    seg = np.asarray(segment)
    band = LineString(np.column_stack(tx(seg[:, 0], seg[:, 1]))).buffer(BUFFER_M)
    x0, y0, x1, y1 = LineString(segment).bounds
    parts = []
    for line in lines:
        arr = np.asarray(line)
        if arr[:, 0].max() < x0 - 0.1 or arr[:, 0].min() > x1 + 0.1 or arr[:, 1].max() < y0 - 0.1 \
                or arr[:, 1].min() > y1 + 0.1:
            continue
        inside = LineString(np.column_stack(tx(arr[:, 0], arr[:, 1]))).intersection(band)
        for piece in getattr(inside, "geoms", [inside]):
            if piece.geom_type == "LineString" and piece.length > 0:
                parts.append(piece.simplify(THIN_M))
    merged = shapely.line_merge(shapely.union_all(parts)) if parts else MultiLineString()
    path = np.asarray(followed) if followed else np.empty((0, 2))
    kept = [LineString(np.column_stack(tx(path[:, 0], path[:, 1]))).simplify(THIN_M)] if len(path) > 1 else []
    kept += [p for p in getattr(merged, "geoms", [merged]) if p.length >= MIN_PIECE_M]
    out = []
    for piece in kept:
        xy = shapely.get_coordinates(piece)
        lon, lat = tx(xy[:, 0], xy[:, 1], direction="INVERSE")
        out.append([[round(a, 4), round(b, 4)] for a, b in zip(lon.tolist(), lat.tolist())])
    return out


def feature(t) -> dict:
    """The sample feature of one traced segment (*t*: trace.Traced)."""
    props = {"segment": t.plan.segment, "method": t.plan.method, "licence": t.reference.licence,
             "repository": t.reference.repo, "files": list(t.reference.paths), "commit": t.reference.commit}
    if t.plan.method == "stations":
        props |= {"osm_ids": [s.osm_id for s in t.stations], "names": [s.name for s in t.stations]}
        geometry = {"type": "MultiPoint", "coordinates": [[s.lon, s.lat] for s in t.stations]}
    else:
        props["connectors_m"] = [round(g) if g >= 5 else 0 for g in t.gaps]
        geometry = mapping(MultiLineString(clipped_track(t.reference.lines, t.coords, t.track)))
    return {"type": "Feature", "properties": props, "geometry": geometry}


def extract_boxes(osm_dir: Path) -> dict[str, list[float]]:
    """The box (lon/lat: west, south, east, north) of every OSM railway-way extract in the snapshot."""
    manifest = ref.git_json(osm_dir, "data/manifest.json")["countries"]  # type: ignore[index]
    present = ref.git(osm_dir, "ls-tree", "-r", "--long", "HEAD", "data/railways/")
    have = {line.split("\t")[1].split("/")[-1][:-5] for line in present.splitlines() if " BAD\t" not in line}
    return {c: [b[1], b[0], b[3], b[2]] for c, v in sorted(manifest.items()) if c in have for b in [v["bbox"]]}


def write(done: list, root: Path, planned: set[str], osm_dir: Path = ref.DEFAULT_OSM_DIR) -> Path:
    """Rewrite the sample: the features of *done*, keeping earlier features of *planned* segments not traced
    this run;
    the foreign member ``extracts`` holds the boxes of the way extracts (where a rail segment could be traced)."""
    from corridormap._io import write_text

    path = root / SAMPLE
    old = json.loads(path.read_text(encoding="utf-8"))["features"] if path.exists() else []
    new = {f["properties"]["segment"]: f for f in map(feature, done)}
    kept = [f for f in old if f["properties"]["segment"] not in new and f["properties"]["segment"] in planned]
    features = sorted(kept + list(new.values()), key=lambda f: f["properties"]["segment"])
    text = ("{\"type\": \"FeatureCollection\", \"extracts\": " + json.dumps(extract_boxes(osm_dir))
            + ", \"features\": [\n")
    text += ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    write_text(path, text + "\n]}\n")
    return path
