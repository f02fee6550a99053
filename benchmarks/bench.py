"""Benchmarks, run on demand (never as timed tests): prints figures to record in README and closing notes.

    python benchmarks/bench.py                 # the real atlas, the plain-folium baseline, slides
    python benchmarks/bench.py --synthetic     # also a 1,000,000-vertex corridor
    python benchmarks/bench.py --profile       # also a cProfile of one build (top 15 by cumulative time)
    python benchmarks/bench.py --facts 10000 100000 1000000   # volumes.csv of N rows: validate, build, RSS

Figures: `corridormap build` wall time (subprocess, imports included, median of --runs), peak RSS, HTML sizes,
time to map-ready in headless Chromium, slide render time per slide and peak memory, the baseline's size and
the ratio, and for --synthetic the layer's build time, HTML size, GIS vertex count and simplification error.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
#: folium's default CDN assets that are not on PyPI, fetched once with `npm pack` for the inlined baseline.
NPM_ASSETS = {
    "bootstrap@5.2.2": ["package/dist/js/bootstrap.bundle.min.js", "package/dist/css/bootstrap.min.css"],
    "@fortawesome/fontawesome-free@6.2.0": ["package/css/all.min.css"],
    "drmonty-leaflet-awesome-markers@2.0.2": ["package/js/leaflet.awesome-markers.js",
                                              "package/css/leaflet.awesome-markers.css"],
}


def run_build(repo: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of `corridormap build` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "corridormap", "--root", str(repo), "build", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, int(rss)


#: On the page's own clock (ms from navigation start): the map framed and drawn (`data-cm-ready`'s value, set by
#: the page), the load event's end, and the first paint, which for these pages is the drawn map on screen.
PAGE_CLOCK = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {ready: Number(document.querySelector('[data-cm-ready]').getAttribute('data-cm-ready')),
          load: nav.loadEventEnd, paint: paint.startTime};
}"""


def browser_ready(paths: list[Path], runs: int = 3) -> dict[str, dict[str, float]]:
    """Median ms per page, offline, at 1400×900: ``wall`` from the harness's ``goto`` to `data-cm-ready` seen
    (includes Playwright's round trips and a new browser context; ``blank`` measures that floor), and on the
    page's clock from navigation start: ``ready`` (framed and drawn), ``load`` (load event done) and ``paint``
    (first contentful paint: the map on screen, what a reader waits for)."""
    from playwright.sync_api import sync_playwright

    out = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        blank = Path(tmp) / "blank.html"
        blank.write_text("<!doctype html><p>corridormap</p><div data-cm-ready=\"0\"></div>", encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        for path in [blank, *paths]:
            rows = []
            for _ in range(runs):
                context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_selector("[data-cm-ready]", state="attached")  # set once the map is framed and drawn
                wall = (time.perf_counter() - start) * 1000
                page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
                rows.append({"wall": wall, **page.evaluate(PAGE_CLOCK)})
                context.close()
            name = "blank" if path == blank else \
                f"{path.parent.name}/{path.name}" if path.parent.name == "embed" else path.name
            out[name] = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        browser.close()
    return out


def npm_assets(cache: Path) -> dict[str, str]:
    """Text of folium's other default assets, from npm (None when npm is unavailable)."""
    texts = {}
    for spec, members in NPM_ASSETS.items():
        folder = cache / spec.replace("/", "_")
        if not folder.exists():
            folder.mkdir(parents=True)
            subprocess.run(["npm", "pack", spec, "--silent"], cwd=folder, check=True, capture_output=True)
            with tarfile.open(next(folder.glob("*.tgz"))) as tar:
                tar.extractall(folder, filter="data")
        for member in members:
            texts[member.rsplit("/", 1)[-1]] = (folder / member).read_text(encoding="utf-8")
    return texts


def baseline_html(repo: Path, cache: Path) -> tuple[int, float, str]:
    """The same layers through plain folium defaults (folium.GeoJson of the raw files, default template),
    with every default asset inlined. Returns (bytes, build seconds, note)."""
    import folium
    import geopandas as gpd
    import xstatic.pkg.jquery as xjq
    import xstatic.pkg.leaflet as xll

    start = time.perf_counter()
    m = folium.Map(location=[42, 60], zoom_start=4)
    folium.GeoJson(str(repo / "geo/countries.geojson"), name="countries").add_to(m)
    for path in sorted((repo / "routes").glob("*.geojson")):
        folium.GeoJson(str(path), name=path.stem, tooltip=folium.GeoJsonTooltip(["name", "status"]),
                       popup=folium.GeoJsonPopup(["corridor", "segment", "mode", "status", "source"])).add_to(m)
    nodes = gpd.read_file(repo / "geo/nodes.csv")
    nodes = gpd.GeoDataFrame(nodes, geometry=gpd.points_from_xy(nodes.lon.astype(float), nodes.lat.astype(float)),
                             crs="EPSG:4326")
    folium.GeoJson(nodes[["id", "name", "kind", "geometry"]], name="nodes").add_to(m)
    folium.LayerControl().add_to(m)
    html = m.get_root().render()
    seconds = time.perf_counter() - start
    inline = {"leaflet.js": (Path(xll.BASE_DIR) / "leaflet.js").read_text(encoding="utf-8"),
              "leaflet.css": (Path(xll.BASE_DIR) / "leaflet.css").read_text(encoding="utf-8"),
              "jquery-3.7.1.min.js": (Path(xjq.BASE_DIR) / "jquery.min.js").read_text(encoding="utf-8")}
    note = "all default assets inlined"
    try:
        inline.update(npm_assets(cache))
    except (OSError, subprocess.CalledProcessError) as err:
        note = f"npm assets unavailable ({err}); Leaflet and jQuery inlined only"
    size = len(html.encode())
    for url_end, text in inline.items():
        if url_end in html:
            size += len(text.encode())
    return size, seconds, note


def slide_timings(repo: Path, out: Path) -> tuple[list[tuple[str, float]], float]:
    import corridormap as cm
    from corridormap.join import join
    from corridormap.render.slides import render_slides

    layers = join(cm.load(repo))
    targets = [None, *layers.corridors["id"]]
    times = []
    for cid in targets:
        start = time.perf_counter()
        render_slides(layers, out, corridors=[cid])
        times.append((cid or "atlas", time.perf_counter() - start))
    return times, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_repo(base: Path, vertices: int, noise_m: float = 5.0) -> tuple[Path, np.ndarray]:
    """A copy of *base* plus corridor `synthetic`: Lanzhou–Urumqi densified to *vertices* with ±noise."""
    from pyproj import Geod

    repo = Path(tempfile.mkdtemp(prefix="cm-synth-"))
    for name in ("geo", "routes"):
        shutil.copytree(base / name, repo / name)
    src = json.loads((base / "routes/middle_corridor.geojson").read_text(encoding="utf-8"))
    feat = next(f for f in src["features"] if f["properties"]["segment"] == "lanzhou_urumqi")
    coords = np.array(feat["geometry"]["coordinates"])
    geod = Geod(ellps="WGS84")
    seglen = np.array([geod.inv(*a, *b)[2] for a, b in zip(coords[:-1], coords[1:])])
    per = np.maximum(1, np.round(seglen / seglen.sum() * (vertices - 1)).astype(int))
    per[-1] += (vertices - 1) - per.sum()
    parts = [np.linspace(a, b, n, endpoint=False) for a, b, n in zip(coords[:-1], coords[1:], per)]
    dense = np.vstack([*parts, coords[-1:]])
    rng = np.random.default_rng(7)
    jitter = rng.normal(0, noise_m / 111_000, size=dense.shape)
    jitter[0] = jitter[-1] = 0
    dense = dense + jitter
    props = {**feat["properties"], "corridor": "synthetic", "segment": "dense", "name": "Synthetic dense line",
             "note": f"{vertices:,} vertices: Lanzhou–Urumqi densified with {noise_m} m noise (benchmark only)"}
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "LineString", "coordinates": np.round(dense, 7).tolist()}}]}
    (repo / "routes/synthetic.geojson").write_text(json.dumps(collection), encoding="utf-8")
    with (repo / "routes/corridors.csv").open("a", encoding="utf-8") as f:
        f.write('synthetic,Synthetic dense corridor,rail,#000000,,"Benchmark layer of 1,000,000 vertices."\n')
    return repo, dense


def simplification_error_m(full: np.ndarray) -> tuple[float, int]:
    """Hausdorff distance (m) between the full line and the line the HTML draws (the renderer's own display
    simplification), measured in a local azimuthal equidistant projection; and the drawn vertex count."""
    import shapely
    from pyproj import Transformer

    from corridormap.render.html import ROUTE_TOLERANCE, display_geometry

    drawn = np.array(display_geometry(shapely.LineString(full), ROUTE_TOLERANCE)["coordinates"])
    lon0, lat0 = full[:, 0].mean(), full[:, 1].mean()
    to_m = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lon_0={lon0} +lat_0={lat0} +units=m", always_xy=True)
    a = shapely.LineString(np.column_stack(to_m.transform(full[:, 0], full[:, 1])))
    b = shapely.LineString(np.column_stack(to_m.transform(drawn[:, 0], drawn[:, 1])))
    return float(shapely.hausdorff_distance(a, b)), len(drawn)


def facts_repo(base: Path, rows: int, *, bad_row: int | None = None) -> Path:
    """A temp copy of *base* whose routes/volumes.csv holds *rows* valid rows: the real rows, then the real rows
    repeated with other periods (months 1995-01 … 2024-12) and values (×0.5 … ×1.5). With *bad_row* (a line
    number as messages show it, header = 1), that row's value is ``12,5`` (a decimal comma: invalid)."""
    repo = Path(tempfile.mkdtemp(prefix="cm-facts-"))
    for name in ("geo", "routes"):
        shutil.copytree(base / name, repo / name)
    real = pd.read_csv(base / "routes/volumes.csv", dtype=str, keep_default_na=False)
    extra = max(0, rows - len(real))
    rng = np.random.default_rng(13)
    pick = np.arange(extra) % len(real)
    generated = real.iloc[pick].reset_index(drop=True)
    months = rng.integers(0, 30 * 12, size=extra)
    generated["period"] = [f"{1995 + m // 12}-{m % 12 + 1:02d}" for m in months]
    values = real["value"].astype(float).to_numpy()[pick] * rng.uniform(0.5, 1.5, size=extra)
    generated["value"] = np.char.mod("%.6g", values)
    table = pd.concat([real, generated], ignore_index=True).iloc[:rows]
    if bad_row is not None:
        table.loc[bad_row - 2, "value"] = "12,5"
    table.to_csv(repo / "routes/volumes.csv", index=False)
    return repo


def run_measured(args: list[str]) -> tuple[float, int, int, str, float]:
    """Wall seconds, peak RSS (MiB: the largest process of its tree, from wait4), exit code, stderr and CPU seconds
    (user + system, the process and its workers) of a fresh process. On a shared machine CPU time varies far less
    than wall time."""
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return wall, int(usage.ru_maxrss / 1024), proc.returncode, err.read(), usage.ru_utime + usage.ru_stime


def compile_package() -> None:
    """Byte-compile the package first, as ``pip install`` does: an editable install under
    ``PYTHONDONTWRITEBYTECODE`` (set on these machines) would otherwise compile every module on every run (0.12 s
    of each build), which no installed copy pays."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "corridormap"), quiet=1)


def import_floor(runs: int = 3) -> tuple[float, float]:
    """Median wall and CPU seconds of `python -c "import geopandas, folium"`: the floor any build pays."""
    measured = [run_measured([sys.executable, "-c", "import geopandas, folium"]) for _ in range(runs)]
    return statistics.median(m[0] for m in measured), statistics.median(m[4] for m in measured)


BAD_ROW = 500_002


def median_run(args: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds and the largest peak RSS of *runs* runs of a command that must succeed."""
    measured = []
    for _ in range(runs):
        wall, rss, code, err, cpu = run_measured(args)
        if code != 0:
            raise SystemExit(f"{' '.join(args[3:])} failed:\n{err[-2000:]}")
        measured.append((wall, cpu, rss))
    return (statistics.median(m[0] for m in measured), statistics.median(m[1] for m in measured),
            max(m[2] for m in measured))


def facts_benchmark(sizes: list[int], runs: int) -> None:
    """validate and build on N generated volume rows, against the import floor measured in the same run
    (medians of *runs*; wall and CPU time)."""
    floors = [import_floor()]
    results = []
    for n in sizes:
        repo = facts_repo(ROOT, n)
        command = [sys.executable, "-m", "corridormap", "--root", str(repo)]
        validate = median_run([*command, "validate"], runs)
        build = median_run([*command, "build", "--out", str(repo / "maps")], runs)
        atlas_kib = (repo / "maps/atlas.html").stat().st_size / 1024
        results.append((n, validate, build, atlas_kib))
        print(f"{n:,} rows: validate {validate[0]:.2f} s wall / {validate[1]:.2f} s CPU ({validate[2]} MiB), "
              f"build {build[0]:.2f} s wall / {build[1]:.2f} s CPU ({build[2]} MiB), atlas.html {atlas_kib:,.0f} KiB",
              flush=True)
        shutil.rmtree(repo)
    floors.append(import_floor())
    wall_floor = statistics.median(f[0] for f in floors)
    cpu_floor = statistics.median(f[1] for f in floors)
    print(f"\nimport floor (python -c 'import geopandas, folium'): {wall_floor:.2f} s wall, {cpu_floor:.2f} s CPU "
          f"(before {floors[0][0]:.2f} s, after {floors[-1][0]:.2f} s wall); medians of {runs} runs\n")
    print("| volume rows | validate wall (× floor) | validate CPU (× floor) | build wall (× floor) | "
          "build CPU (× floor) | peak RSS validate / build | atlas.html |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, (vw, vc, vr), (bw, bc, br), atlas_kib in results:
        print(f"| {n:,} | {vw:.2f} s ({vw / wall_floor:.1f}×) | {vc:.2f} s ({vc / cpu_floor:.1f}×) | "
              f"{bw:.2f} s ({bw / wall_floor:.1f}×) | {bc:.2f} s ({bc / cpu_floor:.1f}×) | {vr} / {br} MiB | "
              f"{atlas_kib:,.0f} KiB |")
    if max(sizes) >= BAD_ROW:
        bad_row_check(max(sizes))


def bad_row_check(n: int) -> None:
    """A decimal comma in row 500,002 of N rows: reported by file, row and field, and validate exits 1."""
    repo = facts_repo(ROOT, n, bad_row=BAD_ROW)
    wall, rss, code, err, _ = run_measured([sys.executable, "-m", "corridormap", "--root", str(repo), "validate"])
    expected = (f"routes/volumes.csv:row {BAD_ROW}: value: expected a plain number (no units or separators), "
                "found '12,5'")
    ok = code == 1 and expected in err.splitlines()
    print(f"\nbad value in row {BAD_ROW:,} of {n:,}: exit {code} in {wall:.2f} s ({rss} MiB); "
          f"{'reported: ' + expected if ok else 'NOT reported as expected:' + chr(10) + err[-2000:]}")
    shutil.rmtree(repo)


def kib(path: Path) -> str:
    return f"{path.stat().st_size / 1024:,.0f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--vertices", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, nargs="+", metavar="N",
                        help="only the facts benchmark: validate and build with N volume rows (e.g. 10000 100000 "
                             "1000000)")
    args = parser.parse_args()
    if args.facts:
        compile_package()
        facts_benchmark(args.facts, args.runs)
        return 0
    work = Path(tempfile.mkdtemp(prefix="cm-bench-"))
    cache = ROOT / "benchmarks" / "out" / "npm"

    compile_package()
    build_args = [sys.executable, "-m", "corridormap", "--root", str(ROOT), "build", "--out"]
    floors, builds = [], []
    for i in range(args.runs):  # interleaved, so a busy spell of the machine weighs on both alike
        floors.append(import_floor(runs=1))
        wall, rss, code, err, cpu = run_measured([*build_args, str(work / f"maps{i}")])
        if code != 0:
            raise SystemExit(f"build failed:\n{err[-2000:]}")
        builds.append((wall, cpu, rss))
    maps = work / "maps0"
    floor, floor_cpu = statistics.median(f[0] for f in floors), statistics.median(f[1] for f in floors)
    wall, cpu = statistics.median(b[0] for b in builds), statistics.median(b[1] for b in builds)
    print(f"build (real atlas): median {wall:.2f} s wall, {cpu:.2f} s CPU over {args.runs} runs "
          f"({', '.join(f'{b[0]:.2f}' for b in builds)}); peak RSS {max(b[2] for b in builds)} MiB")
    print(f"import floor (python -c 'import geopandas, folium'): {floor:.2f} s wall, {floor_cpu:.2f} s CPU; "
          f"build = {wall / floor:.1f}× the floor (wall), {cpu / floor_cpu:.1f}× (CPU)")
    htmls = sorted(maps.glob("*.html"))
    print("HTML sizes: " + ", ".join(f"{p.name} {kib(p)}" for p in htmls))
    embeds = sorted((maps / "embed").glob("*.html"))
    print(f"embed sizes: {min(p.stat().st_size for p in embeds) / 1024:,.0f}–"
          f"{max(p.stat().st_size for p in embeds) / 1024:,.0f} KiB")
    ready = browser_ready([maps / "atlas.html", maps / "btc.html", maps / "embed" / "btc.html"], runs=args.runs)
    print("map ready in headless Chromium, median ms (harness wall; page clock from navigation: ready / load / "
          "first paint): " + "; ".join(f"{k} {v['wall']:.0f} ({v['ready']:.0f} / {v['load']:.0f} / {v['paint']:.0f})"
                                       for k, v in ready.items()))
    size, seconds, note = baseline_html(ROOT, cache)
    atlas = (maps / "atlas.html").stat().st_size
    print(f"baseline plain folium ({note}): {size / 1024:,.0f} KiB built in {seconds:.2f} s; "
          f"corridormap atlas {atlas / 1024:,.0f} KiB = {atlas / size:.2f}× the baseline")
    times, peak = slide_timings(ROOT, work / "slides")
    total = sum(t for _, t in times)
    print(f"slides (png+svg+pdf): {total:.2f} s for {len(times)} slides, {total / len(times):.2f} s per slide "
          f"(max {max(t for _, t in times):.2f} s, {max(times, key=lambda x: x[1])[0]}); "
          f"peak RSS of the rendering process {peak:.0f} MiB")
    if args.synthetic:
        repo, dense = synthetic_repo(ROOT, args.vertices)
        base_wall = statistics.median(b[0] for b in builds)
        wall, rss = run_build(repo, repo / "maps")
        err, drawn = simplification_error_m(dense)
        gis = json.loads((repo / "maps/gis/synthetic.geojson").read_text(encoding="utf-8"))
        kept = len(gis["features"][0]["geometry"]["coordinates"])
        print(f"synthetic corridor ({len(dense):,} vertices): build {wall:.2f} s (+{wall - base_wall:.2f} s over "
              f"the real atlas); synthetic.html {kib(repo / 'maps/synthetic.html')}, atlas.html "
              f"{kib(repo / 'maps/atlas.html')}; drawn {drawn:,} vertices, simplification error (Hausdorff) "
              f"{err:.0f} m; GIS export keeps {kept:,} vertices; peak RSS {rss} MiB")
        shutil.rmtree(repo)
    if args.profile:
        from corridormap.build import build

        profiler = cProfile.Profile()
        profiler.runcall(build, ROOT, work / "profiled")
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(15)
        print(stream.getvalue())
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
