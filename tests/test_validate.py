"""Every class of bad input: the exact message (file, row/feature, field, expected, found) and exit 1."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import corridormap as cm
from corridormap.cli import main
from corridormap.load import UnknownColumnWarning


def run(repo: Path, capsys) -> tuple[int, str, str]:
    code = main(["--root", str(repo), "validate"])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict], fields: list[str] | None = None) -> None:
    fields = fields or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def edit_csv(path: Path, index: int, **changes: str) -> int:
    """Change row *index* (0-based data row); returns its line number as messages show it."""
    rows = csv_rows(path)
    rows[index].update(changes)
    write_rows(path, rows)
    return index + 2


def edit_feature(path: Path, index: int, change) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["features"][index])
    path.write_text(json.dumps(data), encoding="utf-8")
    return data["features"][index]["properties"].get("segment", "")


def expect(repo: Path, capsys, *lines: str) -> str:
    code, out, err = run(repo, capsys)
    assert code == 1, out
    assert err.startswith("Error: ")
    for line in lines:
        assert line in err.splitlines(), f"{line!r} not in:\n{err}"
    return err


def test_clean_tree_validates(root, capsys):
    code, out, err = run(root, capsys)
    assert (code, err) == (0, "")
    corridors = len(csv_rows(root / "routes" / "corridors.csv"))
    assert corridors >= 12  # the ten of the brief, the Aras route and Iran's main lines (issue 12)
    assert out.startswith(f"OK: {corridors} corridors,") and out.rstrip().endswith("no problems")


def test_non_numeric_latitude(repo, capsys):
    row = edit_csv(repo / "geo/nodes.csv", 0, lat="4O.1")
    expect(repo, capsys, f"geo/nodes.csv:row {row}: lat: expected a number in degrees, found '4O.1'")


def test_swapped_lat_lon_is_caught(repo, capsys):
    rows = csv_rows(repo / "geo/nodes.csv")
    i = next(i for i, r in enumerate(rows) if r["id"] == "baku")
    lon, lat = rows[i]["lon"], rows[i]["lat"]
    edit_csv(repo / "geo/nodes.csv", i, lon=lat, lat=lon)
    err = expect(repo, capsys)
    assert f"geo/nodes.csv:row {i + 2}: lon/lat: expected a point inside AZE, found [{float(lat)}, {float(lon)}], " \
           "outside AZE" in err


def test_coordinates_out_of_range(repo, capsys):
    row = edit_csv(repo / "geo/nodes.csv", 0, lon="200")
    err = expect(repo, capsys)
    assert f"geo/nodes.csv:row {row}: lon/lat: expected lon 12.0..112.0, lat 22.0..60.0 (the corridor region), " \
           "found [200.0, " in err


def test_unknown_kind_and_iso3(repo, capsys):
    row = edit_csv(repo / "geo/nodes.csv", 0, kind="harbour", iso3="XXX")
    expect(repo, capsys,
           f"geo/nodes.csv:row {row}: kind: expected one of city, port, terminal, station, border_crossing, "
           "junction, found 'harbour'",
           f"geo/nodes.csv:row {row}: iso3: expected the iso3 of a country in geo/countries.geojson, found 'XXX'")


def test_duplicate_node_id(repo, capsys):
    rows = csv_rows(repo / "geo/nodes.csv")
    rows.append(dict(rows[0]))
    write_rows(repo / "geo/nodes.csv", rows)
    expect(repo, capsys, f"geo/nodes.csv:row {len(rows) + 1}: id: expected a unique id, found "
                         f"'{rows[0]['id']}', already used in row 2")


def test_colour_injection_is_rejected(repo, capsys):
    row = edit_csv(repo / "routes/corridors.csv", 0, color="red;background:url(x)")
    expect(repo, capsys, f"routes/corridors.csv:row {row}: color: expected a colour as #rrggbb, "
                         "found 'red;background:url(x)'")


def test_missing_column(repo, capsys):
    rows = csv_rows(repo / "routes/corridors.csv")
    fields = [f for f in rows[0] if f != "color"]
    write_rows(repo / "routes/corridors.csv", [{k: r[k] for k in fields} for r in rows], fields)
    expect(repo, capsys, "routes/corridors.csv:row 1: header: expected columns id, name, kind, color, description, "
                         "found no column color (header: id, name, kind, includes, description)")


def test_unknown_extra_column_warns(repo):
    rows = csv_rows(repo / "routes/corridors.csv")
    write_rows(repo / "routes/corridors.csv", [{**r, "colour": "x"} for r in rows], [*rows[0], "colour"])
    with pytest.warns(UnknownColumnWarning, match=r"routes/corridors.csv: unknown column\(s\) colour ignored"):
        atlas = cm.load(repo)
    cm.validate(atlas)


def test_wrong_encoding(repo, capsys):
    path = repo / "geo/nodes.csv"
    path.write_bytes(path.read_bytes().replace(b"Baku", "Bak\xfc".encode("latin-1"), 1))
    err = expect(repo, capsys)
    assert "geo/nodes.csv:line " in err and ": encoding: expected UTF-8 text (re-save the file as UTF-8), found " \
        "byte 0xfc at offset " in err


def test_unknown_include(repo, capsys):
    row = edit_csv(repo / "routes/corridors.csv", 0, includes="titr;nowhere/none")
    expect(repo, capsys, f"routes/corridors.csv:row {row}: includes: expected corridor ids or corridor/segment ids "
                         "that exist, found 'nowhere/none'")


def test_malformed_json(repo, capsys):
    (repo / "routes/btc.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    expect(repo, capsys, "routes/btc.geojson:line 1 column 44: json: expected valid JSON, found malformed JSON "
                         "(Expecting value)")


def test_not_a_feature_collection(repo, capsys):
    (repo / "routes/btc.geojson").write_text('{"type": "Feature"}', encoding="utf-8")
    expect(repo, capsys, "routes/btc.geojson: type: expected a GeoJSON FeatureCollection, found 'Feature'")


def test_zero_features(repo, capsys):
    (repo / "routes/btc.geojson").write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    expect(repo, capsys, "routes/btc.geojson: features: expected at least one segment of corridor btc "
                         "(routes/corridors.csv row 5), found no file or zero features")


def test_non_linestring(repo, capsys):
    def to_point(f):
        f["geometry"] = {"type": "Point", "coordinates": f["geometry"]["coordinates"][0]}
    seg = edit_feature(repo / "routes/btc.geojson", 0, to_point)
    expect(repo, capsys, f"routes/btc.geojson:feature 0 ({seg}): geometry.type: expected LineString (one per "
                         "segment), found 'Point'")


def test_empty_geometry(repo, capsys):
    def empty(f):
        f["geometry"]["coordinates"] = []
    seg = edit_feature(repo / "routes/btc.geojson", 0, empty)
    expect(repo, capsys, f"routes/btc.geojson:feature 0 ({seg}): geometry.coordinates: expected at least 2 "
                         "positions, found 0 positions")


def test_swapped_segment_coordinates(repo, capsys):
    def swap(f):
        f["geometry"]["coordinates"] = [[y, x] for x, y in f["geometry"]["coordinates"]]
    seg = edit_feature(repo / "routes/titr.geojson", 0, swap)
    err = expect(repo, capsys)
    assert f"routes/titr.geojson:feature 0 ({seg}): " in err


def test_unknown_vocabulary_and_node(repo, capsys):
    def bad(f):
        f["properties"].update(status="open", mode="ship", to="atlantis")
    seg = edit_feature(repo / "routes/btc.geojson", 0, bad)
    where = f"routes/btc.geojson:feature 0 ({seg})"
    expect(repo, capsys,
           f"{where}: mode: expected one of rail, road, sea, pipeline, cable, found 'ship'",
           f"{where}: status: expected one of operating, construction, planned, proposed, suspended, found 'open'",
           f"{where}: to: expected a node id from geo/nodes.csv, found 'atlantis'")


def test_missing_property(repo, capsys):
    def drop(f):
        del f["properties"]["accuracy"]
    seg = edit_feature(repo / "routes/btc.geojson", 0, drop)
    expect(repo, capsys, f"routes/btc.geojson:feature 0 ({seg}): accuracy: expected a property, found none")


def test_end_far_from_node(repo, capsys):
    def move(f):
        x, y = f["geometry"]["coordinates"][-1]
        f["geometry"]["coordinates"][-1] = [x + 0.1, y]
    seg = edit_feature(repo / "routes/btc.geojson", 0, move)
    err = expect(repo, capsys)
    assert f"routes/btc.geojson:feature 0 ({seg}): to: expected the last position within 1 km of node " in err
    assert "km away" in err


def test_duplicate_segment_id(repo, capsys):
    data = json.loads((repo / "routes/btc.geojson").read_text(encoding="utf-8"))
    data["features"].append(data["features"][0])
    (repo / "routes/btc.geojson").write_text(json.dumps(data), encoding="utf-8")
    n, seg = len(data["features"]) - 1, data["features"][0]["properties"]["segment"]
    expect(repo, capsys, f"routes/btc.geojson:feature {n} ({seg}): segment: expected a unique segment id in this "
                         f"file, found '{seg}', already used by feature 0")


def test_sea_leg_over_land(repo, capsys):
    data = json.loads((repo / "routes/btc.geojson").read_text(encoding="utf-8"))
    i = next(i for i, f in enumerate(data["features"]) if f["properties"]["mode"] == "sea")

    def overland(f):
        coords = f["geometry"]["coordinates"]
        f["geometry"]["coordinates"] = [coords[0], [48.0, 41.0], [49.0, 43.5], coords[-1]]
    seg = edit_feature(repo / "routes/btc.geojson", i, overland)
    expect(repo, capsys, f"routes/btc.geojson:feature {i} ({seg}): geometry: expected a sea leg on water (land "
                         "allowed only within 15 km of its ports), found a line crossing land")


def test_empty_routes_folder(repo, capsys):
    for path in (repo / "routes").iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    expect(repo, capsys, "routes/corridors.csv: file: expected an existing file, found nothing at that path")


def test_every_problem_reported_at_once(repo, capsys):
    edit_csv(repo / "geo/nodes.csv", 0, lat="x")
    edit_csv(repo / "routes/corridors.csv", 1, color="blue")
    err = expect(repo, capsys)
    assert err.splitlines()[0] == "Error: 2 problems in the data"


def test_validate_raises_data_error_in_python(repo):
    edit_csv(repo / "geo/nodes.csv", 0, kind="x")
    with pytest.raises(cm.DataError, match=r"geo/nodes.csv:row 2: kind: expected one of"):
        cm.validate(cm.load(repo))


# --- at scale: column-wise checks, the Arrow reader, the printed cap -----------------------------------------

def big_volumes(repo: Path, rows: int) -> list[dict]:
    """volumes.csv of *rows* valid rows: the real ones repeated with other periods (generated, tests only)."""
    real = csv_rows(repo / "routes/volumes.csv")
    table = [{**real[i % len(real)], "period": f"{1990 + i % 30}-{i % 12 + 1:02d}"} for i in range(rows)]
    write_rows(repo / "routes/volumes.csv", table)
    return table


def test_a_bad_value_deep_in_a_big_table_is_named_by_row_and_field(repo, capsys):
    """30,002 rows (above the size where Arrow checks the value column): row 15,002 of them is found."""
    big_volumes(repo, 30_001)
    row = edit_csv(repo / "routes/volumes.csv", 15_000, value="12,5")
    assert row == 15_002
    err = expect(repo, capsys, "routes/volumes.csv:row 15002: value: expected a plain number (no units or "
                               "separators), found '12,5'")
    assert err.splitlines()[0] == "Error: 1 problem in the data"


def test_the_cli_prints_fifty_problems_and_counts_the_rest_by_field(repo, capsys):
    table = big_volumes(repo, 20_000)
    for r in table[:60]:
        r["unit"] = "kt"
    for r in table[100:103]:
        r["value"] = "n/a"
    write_rows(repo / "routes/volumes.csv", table)
    code, _, err = run(repo, capsys)
    lines = err.splitlines()
    assert code == 1 and lines[0] == "Error: 63 problems in the data"
    assert lines[1] == ("routes/volumes.csv:row 102: value: expected a plain number (no units or separators), "
                        "found 'n/a'")
    assert sum(": unit: expected one of" in line for line in lines) == 47
    assert lines[51:] == ["… and 13 more problems, by file and field:", "  routes/volumes.csv: unit: 13"]
    with pytest.raises(cm.DataError) as raised:  # the library's error keeps every problem
        cm.validate(cm.load(repo))
    assert len(raised.value.problems) == 63 and len(str(raised.value).splitlines()) == 64


def test_arrow_and_the_csv_module_read_the_same_table(repo):
    from corridormap import _csv_fast, schema
    from corridormap.load import read_csv_exact

    path = repo / "routes/volumes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8", newline="")
    fast = _csv_fast.read(path, "v", schema.VOLUME_COLUMNS, schema.VOLUME_REQUIRED, [])
    exact = read_csv_exact(path, repo, schema.VOLUME_COLUMNS, schema.VOLUME_REQUIRED, [])
    assert fast is not None and exact is not None
    assert fast.astype(str).to_dict("records") == exact.astype(str).to_dict("records")
