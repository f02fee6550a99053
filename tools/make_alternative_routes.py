"""Derive the route-comparison layers (issue 12) from OpenStreetMap station data and the Natural Earth border.

Run from the repository root::

    python tools/make_alternative_routes.py            # reads the stations from the default mirror
    python tools/make_alternative_routes.py --stations /path/to/Asia_Railway_Calculator

Inputs (reference data, not committed):

- OpenStreetMap railway stations as extracted by njfinney/Asia_Railway_Calculator (``data/stations/<country>.json``:
  ``id`` = OSM node id, ``lat``, ``lon``, ``name``). © OpenStreetMap contributors, ODbL 1.0
  (https://www.openstreetmap.org/copyright). The stations are the vertices of the rail segments, in line order; a
  segment's ends are its nodes of ``geo/nodes.csv``.
- ``geo/countries.geojson`` (Natural Earth, public domain): the Araz/Aras river border, from which the Aras route
  on the Iranian bank is drawn (offset into Iran), as the Horadiz–Aghband and Meghri lines are drawn on theirs.

Outputs (derived data, committed): the features below, written into ``routes/<corridor>.geojson`` (a feature with
the same ``segment`` id is replaced, others are kept). Every derived feature carries ``licence`` in its ``note``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

from shapely.geometry import Point, box, shape
from shapely.ops import substring

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from corridormap._io import atomic_path  # noqa: E402
from corridormap.measure import geodesic_km  # noqa: E402

MIRROR = Path("/work/.mirror/njfinney+Asia_Railway_Calculator/repo")
OSM = "OpenStreetMap railway stations (© OpenStreetMap contributors, ODbL 1.0) via njfinney/Asia_Railway_Calculator"
#: Offset of a line drawn on a river bank from the Natural Earth border (km), as for the Horadiz–Aghband line.
BANK_OFFSET_KM = 1.5
#: Largest gap left between vertices; longer spans get geodesic intermediate vertices (km).
MAX_GAP_KM = 45.0

#: Rail segments traced through OSM stations: (country file, [station (name, OSM id) in line order]); a (lon, lat)
#: pair instead of an id is a GeoNames place on the line where OSM has no station (named in the segment's note).
RAIL = {
    ("middle_corridor", "istanbul_kapikule"): ("turkey", [
        ("Halkalı", 2253949587), ("Ispartakule", 9665946458), ("Kabakça", 2625912908), ("Sinekli", 287816799),
        ("Çerkezköy", 450512236), ("Çorlu", 1906693567), ("Muratlı", 2255041702), ("Lüleburgaz", 2502544119),
        ("Alpullu", 11132878358), ("Pehlivanköy", 5874170070), ("Edirne", 11132878357),
        ("Kapıkule", 11132878356)]),
    ("aras_route", "jolfa_julfa"): ("iran", [("Jolfa", 13395861938), ("Culfa", 235460157)]),
    ("iran_rail", "jolfa_qazvin"): ("iran", [
        ("Jolfa", 13395861938), ("Gargar", 8421380750), ("Zal", 693323865), ("Harzand", 181315142),
        ("Marand", 0), ("Payam", 0), ("Sufian", 0), ("Sahlan", 0), ("Tabriz", 691781800), ("Khavaran", 0),
        ("Enab", 0), ("Bostanabad", 0), ("Tekmeh Dash", 0), ("Shahriyar", 0), ("Turkmanchay", 0), ("Neghlan", 0),
        ("Zaviyeh", 0), ("Miyaneh", 0), ("Pol Dokhtar", 0), ("Sr Chem", 0), ("Adr Pey", 0), ("Khrm pey", 0),
        ("Zanjan", 0), ("Bonab", 0), ("Soltaniye Train Station", 0), ("Pyrzaghh", 0), ("Zryn Dje", 0),
        ("Khorramdarreh Rail Way Station", 0), ("Qorveh", 691708211), ("Syah Bagh", 691708053),
        ("Takestan", 13383832886), ("Siah Cheshmeh", 691707944), ("Qazvin", 0)]),
    ("iran_rail", "gorgan_tehran"): ("iran", [
        ("Gorgan", 11021092777), ("Sabz Dasht", 3426301007), ("Bandar-e Torkaman", 684209169),
        ("Bāghū Kenāreh (GeoNames 5523: 'Kord' station, km 448 between km 461.0 and 440.8)", (54.03122, 36.79284)),
        ("ایستگاه راه آهن بندر گز", 684207459), ("Galugah", 684209279), ("ایستگاه راه آهن تیرتاش", 684208967),
        ("Behshahr", 648760875), ("Rostamkola", 11752239419), ("Railway Station Of Neka", 684205488),
        ("Noobakht", 6257635515), ("ایستگاه راه آهن ساری", 684208116), ("Gooni Bafi", 6831473486),
        ("Qaem Shahr", 471717457), ("ایستگاه راه آهن شیرگاه", 1346791484), ("Zirab", 684207872),
        ("Pol-e Sefid", 684209769), ("Savadkuh", 6735414917), ("Sorkhabad", 684206722), ("Veresk", 1815320196),
        ("Gadok", 3220636997), ("Firuzkuh", 7819484419), ("Mahabad", 684207404), ("Zarindasht", 13389112454),
        ("Simindasht", 13389112423), ("Kabutar Dareh", 6872099324), ("Bon-e Kuh", 13389104099),
        ("Garmsar", 6593855682), ("Kavir", 8410168398), ("Abardej", 6535044505), ("Pishva", 6867095014),
        ("Varamin", 304665634), ("Bagher Abad", 6025233370), ("Qarchak", 6875973189), ("Bahram", 684272179),
        ("Rey", 8425526447), ("Tehran", 11271470419)]),
}


def read_stations(folder: Path | None, country: str) -> list[dict]:
    """The OSM stations of *country* from a checkout (``folder``) or from the bare mirror (``git show``)."""
    rel = f"data/stations/{country}.json"
    if folder is not None:
        return json.loads((folder / rel).read_text(encoding="utf-8"))
    text = subprocess.run(["git", f"--git-dir={MIRROR}", "show", f"HEAD:{rel}"], check=True, capture_output=True,
                          text=True).stdout
    return json.loads(text)


def station(stations: list[dict], name: str, osm_id: int | tuple[float, float]) -> tuple[float, float]:
    """A station by OSM id, or by its unique name when the id is 0; a (lon, lat) pair is a GeoNames waypoint."""
    if isinstance(osm_id, tuple):
        return osm_id
    hits = [s for s in stations if s["id"] == osm_id] if osm_id else [s for s in stations if s["name"] == name]
    if len(hits) != 1:
        raise SystemExit(f"station {name!r} (OSM {osm_id}): {len(hits)} matches in the station file")
    return float(hits[0]["lon"]), float(hits[0]["lat"])


def nodes() -> dict[str, tuple[float, float]]:
    with (ROOT / "geo" / "nodes.csv").open(encoding="utf-8") as f:
        return {r["id"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(f)}


def densify(coords: list[tuple[float, float]], gap_km: float = MAX_GAP_KM) -> list[tuple[float, float]]:
    """*coords* with straight (lon/lat) intermediate vertices wherever two are more than *gap_km* apart."""
    out = [coords[0]]
    for a, b in zip(coords, coords[1:]):
        km = geodesic_km(a, b)
        steps = int(km // gap_km) + 1 if km > gap_km else 1
        out += [(a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps) for k in range(1, steps + 1)]
    return [(round(x, 5), round(y, 5)) for x, y in out]


def with_ends(coords: list[tuple[float, float]], start: tuple[float, float] | None,
              end: tuple[float, float] | None) -> list[tuple[float, float]]:
    """Put the segment's node positions at its ends when the nearest station is more than 0.5 km away."""
    out = list(coords)
    if start is not None and geodesic_km(start, out[0]) > 0.5:
        out.insert(0, start)
    if end is not None and geodesic_km(end, out[-1]) > 0.5:
        out.append(end)
    return out


def bank_line(start: tuple[float, float], end: tuple[float, float], inside: str, step_km: float = 5.0,
              offset_km: float = BANK_OFFSET_KM) -> list[tuple[float, float]]:
    """The river border of country *inside* between the points nearest *start* and *end*, every *step_km*,
    moved *offset_km* into *inside*."""
    countries = json.loads((ROOT / "geo" / "countries.geojson").read_text(encoding="utf-8"))
    polygon = next(shape(f["geometry"]) for f in countries["features"] if f["properties"]["iso3"] == inside)
    (x0, y0), (x1, y1) = start, end
    border = polygon.boundary.intersection(box(min(x0, x1) - 0.1, min(y0, y1) - 0.1, max(x0, x1) + 0.1,
                                               max(y0, y1) + 0.1))
    line = border if border.geom_type == "LineString" else max(border.geoms, key=lambda g: g.length)
    a, b = line.project(Point(start)), line.project(Point(end))
    piece = substring(line, a, b)
    km = sum(geodesic_km(a, b) for a, b in zip(piece.coords, piece.coords[1:]))
    count = max(2, int(km / step_km) + 1)
    out = []
    for k in range(count + 1):
        p = piece.interpolate(piece.length * k / count)
        q = piece.interpolate(min(piece.length, piece.length * k / count + 1e-3))
        r = piece.interpolate(max(0.0, piece.length * k / count - 1e-3))
        dx, dy = q.x - r.x, q.y - r.y
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        deg = offset_km / 111.0
        for sign in (1, -1):
            cand = (p.x - sign * dy / norm * deg, p.y + sign * dx / norm * deg)
            if polygon.contains(Point(cand)):
                out.append(cand)
                break
    return out


def feature(corridor: str, segment: str, coords: list[tuple[float, float]], **props: str) -> dict:
    return {"type": "Feature", "properties": {"corridor": corridor, "segment": segment, **props},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}


def rail_coords(key: tuple[str, str], folder: Path | None, start: str | None, end: str | None
                ) -> list[tuple[float, float]]:
    country, names = RAIL[key]
    stations = read_stations(folder, country)
    coords = [station(stations, name, osm) for name, osm in names]
    n = nodes()
    return densify(with_ends(coords, n.get(start) if start else None, n.get(end) if end else None))


def build(folder: Path | None) -> dict[str, list[dict]]:
    """The derived features, by corridor file."""
    from alternative_segments import SEGMENTS  # the properties (names, statuses, sources), kept apart

    out: dict[str, list[dict]] = {}
    n = nodes()
    for seg in SEGMENTS:
        corridor, segment = seg["corridor"], seg["segment"]
        props = {k: v for k, v in seg.items() if k not in ("corridor", "segment", "trace")}
        if seg["trace"] == "osm":
            coords = rail_coords((corridor, segment), folder, seg["from"], seg["to"])
        elif seg["trace"] == "straight":  # a bridge: its two ends
            coords = [n[seg["from"]], n[seg["to"]]]
        else:  # "bank:IRN" or "bank:IRN:2.5": along the river border, on that country's bank (offset in km)
            _, inside, *offset = seg["trace"].split(":")
            bank = bank_line(n[seg["from"]], n[seg["to"]], inside, offset_km=float(offset[0]) if offset else
                             BANK_OFFSET_KM)
            coords = densify([n[seg["from"]], *bank, n[seg["to"]]], gap_km=10.0)
        out.setdefault(corridor, []).append(feature(corridor, segment, coords, **props))
    return out


def write(by_corridor: dict[str, list[dict]]) -> None:
    for corridor, features in by_corridor.items():
        path = ROOT / "routes" / f"{corridor}.geojson"
        data = (json.loads(path.read_text(encoding="utf-8")) if path.exists()
                else {"type": "FeatureCollection", "features": []})
        new = {f["properties"]["segment"]: f for f in features}
        kept = [f for f in data["features"] if f["properties"]["segment"] not in new]
        data["features"] = kept + list(new.values())
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(new)} derived segment(s), {len(kept)} kept")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=Path, help="a checkout of njfinney/Asia_Railway_Calculator")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    write(build(args.stations))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
