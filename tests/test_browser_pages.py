"""Every page (atlas, each corridor page, each embed, the index) in headless Chromium at a phone, a tablet and a
desktop size: drawn, without errors, the map first on a phone, every control one tap away."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("CORRIDORMAP_ARTIFACTS", ROOT / "tests" / "artifacts"))
VIEWPORTS = {"phone": (390, 844), "tablet": (768, 1024), "desktop": (1600, 900)}
#: At phone size the controls may cover at most this share of the map before any tap.
MAX_PHONE_COVER = 1 / 3
MIN_TOUCH = 40

#: Share of the map's area under visible controls (union of their bounding boxes, sampled every 3 px).
COVER_JS = """() => {
  const map = document.querySelector('.folium-map').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.leaflet-control, .cm-body')].map(e => e.getBoundingClientRect())
    .filter(b => b.width > 0 && b.height > 0);
  let hit = 0, n = 0;
  for (let x = map.left + 1; x < map.right; x += 3) for (let y = map.top + 1; y < map.bottom; y += 3) {
    n++; if (boxes.some(b => x >= b.left && x < b.right && y >= b.top && y < b.bottom)) hit++; }
  return hit / n; }"""


def page_names(layers) -> list[str]:
    ids = list(layers.corridors["id"])
    return ["atlas.html", *(f"{cid}.html" for cid in ids), *(f"embed/{cid}.html" for cid in ids)]


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def context(request, browser):
    width, height = VIEWPORTS[request.param]
    ctx = browser.new_context(offline=True, viewport={"width": width, "height": height})
    ctx.viewport_name = request.param
    yield ctx
    ctx.close()


class Tab:
    """One tab per viewport, reused for every page (opening a tab costs more than loading a page)."""

    def __init__(self, context):
        self.page = context.new_page()
        self.page.errors = []
        self.page.on("console", lambda m: self.page.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.page.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.page.errors.append(f"failed: {r.url}"))


def open_page(context, url: str):
    if not hasattr(context, "tab"):
        context.tab = Tab(context)
    tab = context.tab.page
    tab.errors.clear()
    tab.goto("about:blank")
    tab.goto(url)
    tab.wait_for_selector("[data-cm-ready]")
    return tab


def test_every_page_draws_its_map_without_errors(context, maps, layers):
    """Paths drawn, no page or console error, controls within a phone's cover budget, touch targets ≥ 40 px
    (the attribution's inline text links excepted, as WCAG 2.5.8 excepts inline links)."""
    covers = {}
    for name in page_names(layers):
        tab = open_page(context, (maps / name).as_uri())
        assert tab.errors == [], (name, tab.errors)
        cid = Path(name).stem
        drawn = tab.locator("path.cm-land").count() if name == "atlas.html" else \
            tab.locator(f"path.cm-c-{cid}").count()
        assert drawn > 0, (name, context.viewport_name)
        assert tab.evaluate("() => [...document.querySelectorAll('path.cm-border')]"
                            ".some(p => (p.getAttribute('d') || '').length > 100)"), name
        covers[name] = tab.evaluate(COVER_JS)
        if context.viewport_name == "phone":
            assert covers[name] <= MAX_PHONE_COVER, (name, covers[name])
            small = tab.evaluate("""(min) => [...document.querySelectorAll(
                '.leaflet-control button, .leaflet-control a, .leaflet-control input')]
                .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 &&
                               (b.width < min || b.height < min) && !e.closest('.cm-body') &&
                               !e.closest('.leaflet-control-attribution'); })
                .map(e => e.textContent || e.className)""", MIN_TOUCH)
            assert small == [], (name, small)
    print(context.viewport_name, {k: round(v, 3) for k, v in covers.items()})


def test_index_opens_and_links_every_map(context, maps, layers):
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto((maps / "index.html").as_uri())
    hrefs = tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert set(page_names(layers)) <= set(hrefs)
    assert errors == []
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= tab.viewport_size["width"] + 1
    tab.close()


@pytest.fixture(scope="module")
def phone(browser):
    width, height = VIEWPORTS["phone"]
    ctx = browser.new_context(offline=True, viewport={"width": width, "height": height})
    yield ctx
    ctx.close()


def test_on_a_phone_every_control_starts_closed_and_opens_in_a_sheet(phone, maps):
    context = phone
    for name, panels in {"atlas.html": ["Legend", "Layers"], "zangezur.html": ["Facts", "Legend", "Layers"]}.items():
        tab = open_page(context, (maps / name).as_uri())
        for label in panels:
            button = tab.locator(".cm-toggle", has_text=label)
            assert button.get_attribute("aria-expanded") == "false"
            body = tab.locator(f"#{button.get_attribute('aria-controls')}")
            assert not body.is_visible()
            button.click()
            assert body.is_visible() and button.get_attribute("aria-expanded") == "true"
            box = body.bounding_box()
            assert box["width"] == 390 and box["y"] + box["height"] == pytest.approx(844, abs=1)
            assert tab.locator(".cm-collapsible.cm-open").count() == 1  # one sheet at a time
        tab.locator(".cm-open .cm-close").click()
        assert tab.locator(".cm-collapsible.cm-open").count() == 0
        title = tab.locator(".cm-title .cm-toggle")
        title.click()
        assert tab.locator(".cm-title h1").is_visible()


#: Markers that must lie wholly on screen and under no control: the corridor's nodes, and the agreement markers
#: the page frames (those near the line, ``html.page_frame``).
UNCOVERED_MARKERS_JS = """(selector) => {
  const boxes = [...document.querySelectorAll('.leaflet-control, .cm-open > .cm-body')]
    .map(e => e.getBoundingClientRect()).filter(b => b.width > 0);
  const view = document.querySelector('.folium-map').getBoundingClientRect();
  return [...document.querySelectorAll(selector)].map(p => p.getBoundingClientRect())
    .filter(n => n.width > 0).filter(n => n.left < view.left || n.right > view.right || n.top < view.top ||
      n.bottom > view.bottom || boxes.some(b => n.left < b.right && n.right > b.left && n.top < b.bottom &&
                                               n.bottom > b.top)).length; }"""


def test_corridor_pages_frame_their_corridor_clear_of_the_panels(context, maps, layers):
    """Every node marker of the corridor lies wholly on screen and under no control (Zangezur's Kars, BTC's
    Ceyhan), and so does every agreement marker the page frames (Zangezur's at Baku, just past Alat)."""
    for cid in ("zangezur", "btc", "titr"):
        tab = open_page(context, (maps / f"{cid}.html").as_uri())
        nodes = tab.locator("path.cm-node").count()
        used = set(layers.members[cid]["from"]) | set(layers.members[cid]["to"])
        assert nodes == len(used)
        assert tab.evaluate(UNCOVERED_MARKERS_JS, "path.cm-node") == 0, (cid, context.viewport_name)
        if cid == "zangezur":
            assert tab.locator(".cm-agreement").count() >= 1
            assert tab.evaluate(UNCOVERED_MARKERS_JS, ".cm-agreement") == 0, (cid, context.viewport_name)


def test_screenshots(context, maps):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("atlas.html", "zangezur.html", "btc.html", "embed/zangezur.html"):
        tab = open_page(context, (maps / name).as_uri())
        tab.wait_for_timeout(150)
        png = tab.screenshot(path=str(ARTIFACTS / f"{name[:-5].replace('/', '-')}-{context.viewport_name}.png"))
        assert len(png) > 20_000
