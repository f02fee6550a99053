"""The maps in a real headless Chromium with no network: what a user sees and clicks."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from corridormap.build import build

from .conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("CORRIDORMAP_ARTIFACTS", ROOT / "tests" / "artifacts"))


def test_index_links_every_output_and_each_exists(maps, layers):
    import re

    links = re.findall(r'href="([^"]+)"', (maps / "index.html").read_text(encoding="utf-8"))
    assert [link for link in links if not (maps / link).exists()] == []
    for cid in layers.corridors["id"]:
        assert {f"{cid}.html", f"embed/{cid}.html", f"slides/{cid}.pdf", f"gis/{cid}.geojson"} <= set(links)
    assert "corridormap.pptx" in links and "gis/corridormap.gpkg" in links


class Page:
    """A page opened offline, recording console errors, page errors, dialogs and every network request."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.page.wait_for_selector("[data-cm-ready]")

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def toggle(self, label: str) -> None:
        self.page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input").click()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def atlas_page(browser, maps):
    page = Page(browser, (maps / "atlas.html").as_uri())
    yield page
    page.close()


def test_atlas_loads_offline_without_errors(atlas_page):
    assert atlas_page.errors == []
    assert [u for u in atlas_page.requests if not u.startswith(("file:", "data:"))] == []
    assert atlas_page.count("path.cm-land") > 20


def test_every_corridor_is_in_the_layer_control(atlas_page, layers):
    labels = atlas_page.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for name in layers.corridors["name"]:
        assert any(label.strip() == name for label in labels), name


@pytest.mark.parametrize("cid", ["btc", "zangezur", "titr"])
def test_unticking_a_corridor_removes_exactly_its_paths(atlas_page, layers, cid):
    """The layer control is the corridors' legend: each entry carries the corridor's colour."""
    corridor = layers.corridors.set_index("id").loc[cid]
    mine, total = atlas_page.count(f"path.cm-c-{cid}"), atlas_page.count("path")
    members = layers.members[cid]
    casings = members["mode"].isin(["sea", "pipeline", "cable"]).sum()
    assert mine == len(members) + casings
    entry = atlas_page.page.locator(".leaflet-control-layers-overlays label", has_text=corridor["name"])
    assert entry.locator(f'svg line[stroke="{corridor["color"]}"]').count() == 1
    atlas_page.toggle(corridor["name"])
    assert atlas_page.count(f"path.cm-c-{cid}") == 0
    assert atlas_page.count("path") == total - mine
    atlas_page.toggle(corridor["name"])
    assert atlas_page.count(f"path.cm-c-{cid}") == mine and atlas_page.count("path") == total


def test_clicking_a_btc_segment_opens_its_popup(atlas_page, layers):
    path = atlas_page.page.locator("path.cm-c-btc:not(.cm-casing)").first
    box = path.bounding_box()
    path.dispatch_event("click", {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2})
    popup = atlas_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Length" in text and " km" in text and "Status" in text
    assert "Baku–Tbilisi–Ceyhan" in text
    assert "<svg" in popup.inner_html() or "Latest volumes" in text


def marker_counts(page) -> list[int]:
    return [int(t) for t in page.page.locator(".cm-agreement span").all_inner_texts()]


def test_agreements_at_one_place_are_one_marker_with_their_count(atlas_page, layers):
    """No cloud of markers around Baku: one marker per place, its number the agreements there, its popup the
    list of them (each folded)."""
    counts = marker_counts(atlas_page)
    assert sum(counts) == len(layers.agreements)
    assert len(counts) < len(layers.agreements) and max(counts) >= 10
    centres = atlas_page.page.evaluate("""() => [...document.querySelectorAll('.cm-agreement')].map(e => {
        const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; })""")
    assert len({(round(x), round(y)) for x, y in centres}) == len(centres)
    biggest = atlas_page.page.locator(".cm-agreement", has_text=str(max(counts)))
    biggest.click()
    popup = atlas_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("ol.cm-list > li > details").count() == max(counts)
    assert f"{max(counts)} agreements" in popup.locator("h4").first.inner_text()
    atlas_page.page.locator(".leaflet-popup-close-button").click()


def test_year_control_filters_agreement_markers(atlas_page):
    everything = sum(marker_counts(atlas_page))
    assert everything > 5
    slider = atlas_page.page.locator(".cm-year-input")
    first = int(slider.get_attribute("min"))
    slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", first)
    fewer = sum(marker_counts(atlas_page))
    assert 0 < fewer < everything
    assert atlas_page.page.locator(".cm-year-count").inner_text() == str(fewer)
    assert atlas_page.page.locator(".cm-year-value").inner_text() == str(first)
    slider.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    assert sum(marker_counts(atlas_page)) == everything


def test_year_control_follows_tonnage_in_line_width(atlas_page):
    """TITR's width follows its cargo: thinner in its first year of data than in the latest."""
    path = atlas_page.page.locator("path.cm-c-titr:not(.cm-casing)").first
    latest = float(path.get_attribute("stroke-width"))
    slider = atlas_page.page.locator(".cm-year-input")
    slider.evaluate("(el) => { el.value = 2022; el.dispatchEvent(new Event('input')); }")
    early = float(path.get_attribute("stroke-width"))
    assert early < latest
    slider.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    assert float(path.get_attribute("stroke-width")) == latest


def test_corridor_page_loads(browser, maps):
    page = Page(browser, (maps / "btc.html").as_uri())
    try:
        assert page.errors == []
        assert page.count("path.cm-c-btc") > 0
        assert "Baku–Tbilisi–Ceyhan" in page.page.locator(".cm-facts").inner_text()
    finally:
        page.close()



def test_legend_entries_follow_the_layer_control(atlas_page):
    """Unticking an overlay hides its legend entries; ticking it again shows them (synced once per change)."""
    entries = atlas_page.page.locator('.cm-legend [data-layer="agreements"]')
    assert entries.count() >= 1
    shown = atlas_page.page.evaluate(
        """() => [...document.querySelectorAll('.cm-legend [data-layer="agreements"]')]
                 .map(e => e.style.display)""")
    assert shown == [""] * entries.count()
    atlas_page.toggle("Agreements")
    hidden = atlas_page.page.evaluate(
        """() => [...document.querySelectorAll('.cm-legend [data-layer="agreements"]')]
                 .map(e => e.style.display)""")
    assert hidden == ["none"] * entries.count()
    atlas_page.toggle("Agreements")
    again = atlas_page.page.evaluate(
        """() => [...document.querySelectorAll('.cm-legend [data-layer="agreements"]')]
                 .map(e => e.style.display)""")
    assert again == [""] * entries.count()
    assert atlas_page.errors == []

def test_embed_fills_its_frame_without_layer_control(browser, maps, layers):
    context = browser.new_context(offline=True, viewport={"width": 640, "height": 360})
    try:
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto((maps / "embed" / "zangezur.html").as_uri())
        tab.wait_for_selector("[data-cm-ready]")
        assert errors == []
        tab.locator(".cm-legend .cm-toggle").click()
        assert tab.locator(".leaflet-control-layers").count() == 0
        assert tab.locator("path.cm-c-zangezur").count() == len(layers.members["zangezur"])
        box = tab.locator(".folium-map").bounding_box()
        assert (box["width"], box["height"]) == (640, 360)
        assert "Zangezur corridor" in tab.locator(".cm-legend").inner_text()
    finally:
        context.close()


def test_screenshot_artifact(atlas_page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    atlas_page.page.wait_for_timeout(300)
    png = atlas_page.page.screenshot(path=str(ARTIFACTS / "atlas.png"))
    assert len(png) > 50_000


HOSTILE = '<img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_maps(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("hostile")
    for name in ("geo", "routes"):
        shutil.copytree(ROOT / name, repo / name)
    path = repo / "routes/agreements.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["title"] = HOSTILE
    rows[0]["note"] = "</script><script>alert(2)</script>"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    corridors = repo / "routes/corridors.csv"
    text = corridors.read_text(encoding="utf-8").replace("Baku–Tbilisi–Ceyhan (BTC) oil pipeline",
                                                         "BTC <script>alert(3)</script>")
    corridors.write_text(text, encoding="utf-8")
    build(repo, repo / "maps")
    return repo / "maps"


def test_hostile_text_renders_as_text_and_runs_nothing(browser, hostile_maps):
    page = Page(browser, (hostile_maps / "atlas.html").as_uri())
    try:
        labels = page.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        assert any("BTC <script>alert(3)</script>" in label for label in labels)
        slider = page.page.locator(".cm-year-input")
        slider.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
        markers = page.page.locator(".cm-agreement")
        hostile = page.page.locator(".leaflet-popup-content", has_text=HOSTILE)
        for i in range(markers.count()):
            markers.nth(i).dispatch_event("click")
            page.page.locator(".leaflet-popup-content details").evaluate_all(
                "els => els.forEach(d => { d.open = true; })")
            if hostile.count():
                break
        else:
            pytest.fail("the hostile agreement's popup was not found")
        assert page.page.locator(".leaflet-popup-content img").count() == 0
        assert page.dialogs == [] and page.errors == []
    finally:
        page.close()
