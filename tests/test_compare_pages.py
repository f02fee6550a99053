"""The comparison pages of a real build in headless Chromium, offline, at phone, tablet and desktop sizes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import corridormap as cm
from corridormap.build import build
from corridormap.network.scenarios import scenarios_of

from .conftest import ROOT
from .test_compare_cli import PROVISIONAL

pytestmark = pytest.mark.browser
SIZES = [(390, 844), (768, 1024), (1600, 900)]
SCENARIOS = scenarios_of(cm.load(ROOT))


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> Path:
    """A build of the repository with the provisional parameter table (round numbers) in place of the cited one,
    so that every alternative has a route to draw whatever parameters the data still lacks; the cited table is
    checked by tests/test_compare_outputs.py::test_every_scenario_has_two_routed_alternatives."""
    repo = tmp_path_factory.mktemp("compare_repo")
    for name in ("geo", "routes"):
        shutil.copytree(ROOT / name, repo / name)
    (repo / "routes/parameters.csv").write_text(PROVISIONAL, encoding="utf-8")
    out = tmp_path_factory.mktemp("compare_maps")
    build(repo, out)
    return out


def test_index_links_each_comparison_page_and_slide(maps):
    links = set(re.findall(r'href="([^"]+)"', (maps / "index.html").read_text(encoding="utf-8")))
    for s in SCENARIOS:
        assert f"compare/{s.id}.html" in links and f"slides/compare_{s.id}.png" in links
        assert (maps / "compare" / f"{s.id}.html").exists() and (maps / "slides" / f"compare_{s.id}.png").exists()


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(offline=True)
    yield ctx
    ctx.close()


def open_page(context, path: Path, size: tuple[int, int]):
    page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector(".cm-compare")
    page.wait_for_timeout(200)
    return page, errors, requests


def drawn_paths(page, color: str) -> list[dict]:
    """Bounding boxes of the SVG paths stroked in *color* (the highlighted alternative)."""
    return page.eval_on_selector_all(
        f'path.leaflet-interactive[stroke="{color}"]',
        "els => els.map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, "
        "h: r.height}; })")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("sid", [s.id for s in SCENARIOS])
def test_page_draws_every_alternative_with_its_table(maps, context, sid, size):
    page, errors, requests = open_page(context, maps / "compare" / f"{sid}.html", size)
    try:
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
        from corridormap.network.scenarios import ALTERNATIVE_COLORS

        scenario = next(s for s in SCENARIOS if s.id == sid)
        assert len(scenario.alternatives) >= 2
        page.evaluate("document.querySelector('.cm-compare details').open = true")
        rows = page.locator(".cm-routes tbody tr")
        assert rows.count() == len(scenario.alternatives)
        assert page.locator(".cm-routes tbody tr[data-alt]").count() == len(scenario.alternatives)  # each routed
        width, height = size
        for i, _ in enumerate(scenario.alternatives):
            boxes = drawn_paths(page, ALTERNATIVE_COLORS[i])
            assert boxes, f"alternative {i} not drawn"
            assert any(b["x"] < width and b["y"] < height and b["x"] + b["w"] > 0 and b["y"] + b["h"] > 0
                       for b in boxes)
        text = page.locator(".cm-routes").inner_text()
        assert re.search(r"\d+\.\d–\d+\.\d", text)  # a days range
        assert page.locator(".cm-compare details details summary", has_text="Time parameters").count() == 1
    finally:
        page.close()


def test_on_a_phone_the_panel_starts_closed_and_covers_at_most_a_third(maps, context):
    for s in SCENARIOS:
        page, errors, _ = open_page(context, maps / "compare" / f"{s.id}.html", (390, 844))
        try:
            assert errors == []
            assert page.evaluate("document.querySelector('.cm-compare details').open") is False
            box = page.locator(".cm-compare").bounding_box()
            assert box["width"] * box["height"] <= 390 * 844 / 3
            page.locator(".cm-compare summary").first.click()
            box = page.locator(".cm-compare").bounding_box()
            assert box["y"] + box["height"] <= 844 * 0.6  # opened, it leaves the lower map free
            assert page.locator(".cm-routes").is_visible()
        finally:
            page.close()


def test_on_a_desktop_the_panel_is_open_beside_the_routes(maps, context):
    from corridormap.network.scenarios import ALTERNATIVE_COLORS

    for s in SCENARIOS:
        page, _, _ = open_page(context, maps / "compare" / f"{s.id}.html", (1600, 900))
        try:
            assert page.evaluate("document.querySelector('.cm-compare details').open") is True
            panel = page.locator(".cm-compare").bounding_box()
            boxes = [b for i in range(len(s.alternatives)) for b in drawn_paths(page, ALTERNATIVE_COLORS[i])]
            right = max(b["x"] + b["w"] for b in boxes)
            assert right <= panel["x"] + 0.25 * panel["width"]  # routes framed left of the panel
            page.locator(".cm-routes tbody tr[data-alt]").nth(1).click()
            dimmed = page.eval_on_selector_all(f'path.leaflet-interactive[stroke="{ALTERNATIVE_COLORS[0]}"]',
                                               "els => els.map(e => e.getAttribute('stroke-opacity'))")
            assert set(dimmed) == {"0.25"}
        finally:
            page.close()


def test_page_names_its_places_and_credits_the_route_geometry(maps, context):
    page, errors, _ = open_page(context, maps / "compare" / "baku_nakhchivan.html", (1600, 900))
    try:
        assert errors == []
        page.wait_for_selector("[data-cm-ready]")
        names = page.eval_on_selector_all(
            ".cm-label", "els => els.filter(e => e.style.display !== 'none').map(e => e.textContent)")
        assert {"Nakhchivan", "Baku"} <= {n.strip() for n in names}
        assert "© OpenStreetMap contributors (ODbL)" in page.locator(".cm-compare").inner_text()
    finally:
        page.close()
