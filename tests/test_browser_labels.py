"""Place names, the base map, the permalink, presets and popups of the atlas in headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("CORRIDORMAP_ARTIFACTS", ROOT / "tests" / "artifacts"))
SIZES = {"phone": (390, 844), "desktop": (1600, 900)}

#: Visible label boxes, and the node and agreement markers drawn on screen, in client pixels.
BOXES_JS = """() => {
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const shown = e => e.style.display !== 'none' && e.getBoundingClientRect().width > 0;
  return {
    labels: [...document.querySelectorAll('.cm-label')].filter(shown).map(e => [e.textContent, ...box(e)]),
    markers: [...document.querySelectorAll('path.cm-node, .cm-agreement')].map(box).filter(b => b[2] > b[0])
  }; }"""


def overlap(a, b, slack: float = 0.75) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


@pytest.fixture(scope="module", params=list(SIZES))
def tab(request, browser, maps):
    width, height = SIZES[request.param]
    context = browser.new_context(offline=True, viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.size_name = request.param
    page.goto((maps / "atlas.html").as_uri())
    page.wait_for_selector("[data-cm-ready]")
    yield page
    context.close()


def set_view(tab, lat: float, lon: float, zoom: float) -> None:
    tab.evaluate("""([lat, lon, zoom]) => {
      const map = Object.values(window).find(v => v && v._container && v.getZoom);
      map.setView([lat, lon], zoom, {animate: false}); map.fire('zoomend'); }""", [lat, lon, zoom])


def test_labels_are_text_in_the_page(tab):
    set_view(tab, 40.5, 50.0, 6)
    sea = tab.get_by_text("Caspian Sea", exact=True)
    assert sea.count() == 1 and sea.is_visible()
    assert sea.evaluate("e => getComputedStyle(e).userSelect") != "none"
    selected = sea.evaluate("e => { const s = getSelection(); s.selectAllChildren(e); return s.toString(); }")
    assert selected == "Caspian Sea"
    for name in ("Azerbaijan", "Armenia", "Iran", "Georgia"):
        assert tab.get_by_text(name, exact=True).is_visible(), name


@pytest.mark.parametrize("zoom", [None, 5, 6, 7, 8, 9])
@pytest.mark.parametrize("centre", [(41.0, 46.5), (41.5, 63.0)], ids=["caucasus", "central-asia"])
def test_labels_never_overlap_each_other_or_markers(tab, zoom, centre):
    if zoom is None:
        tab.evaluate("() => { location.hash = ''; }")
        tab.reload()
        tab.wait_for_selector("[data-cm-ready]")
    else:
        set_view(tab, *centre, zoom)
    boxes = tab.evaluate(BOXES_JS)
    labels = boxes["labels"]
    assert len(labels) >= 5
    clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a[1:], b[1:])]
    assert clashes == []
    on_markers = [a[0] for a in labels for m in boxes["markers"] if overlap(a[1:], m)]
    assert on_markers == []
    assert tab.errors == []


def test_more_labels_as_one_zooms_in(tab):
    counts, in_view = [], []
    for zoom in (5, 6, 7, 8, 9):
        set_view(tab, 41.0, 46.5, zoom)
        shown = tab.evaluate("""() => [...document.querySelectorAll('.cm-label')]
          .filter(e => e.style.display !== 'none').map(e => e.getBoundingClientRect())""")
        counts.append(len(shown))
        in_view.append(sum(1 for b in shown if b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= innerwidth(tab)
                           and b["y"] + b["height"] <= tab.viewport_size["height"]))
    assert counts == sorted(counts) and counts[-1] > counts[0]
    print(tab.size_name, "labels shown by zoom 5-9: placed", counts, "in view over the Caucasus", in_view)


def innerwidth(tab) -> int:
    return tab.viewport_size["width"]


def test_no_edge_of_the_region_shows(tab):
    """Beyond lat 60 and lon 12 (the region's clip) the land goes on: sampled just inside and just outside each
    edge the pixels are land, not sea (that no border is drawn along the clip is checked in test_html)."""
    import io

    from PIL import Image

    tab.add_style_tag(content=".leaflet-control-container, .leaflet-cm-labels-pane, .leaflet-marker-pane, "
                              "path:not(.cm-land):not(.cm-border) { visibility: hidden; }")
    land, sea = (0xF2, 0xF2, 0xEF), (0xD6, 0xE6, 0xF2)
    views = {(60.0, 32.0): [[59.6, 30], [60.4, 30], [59.6, 34], [60.4, 34]],
             (50.0, 12.0): [[49, 11.6], [49, 12.4], [51, 11.6], [51, 12.4]]}
    for (lat, lon), points in views.items():
        set_view(tab, lat, lon, 5)
        tab.wait_for_timeout(100)
        samples = tab.evaluate("""(pts) => {
          const map = Object.values(window).find(v => v && v._container && v.getZoom);
          return pts.map(p => { const c = map.latLngToContainerPoint(p); return [c.x, c.y]; }); }""", points)
        image = Image.open(io.BytesIO(tab.screenshot())).convert("RGB")
        for x, y in samples:
            pixel = image.getpixel((int(x), int(y)))
            assert pixel != sea and sum(abs(a - b) for a, b in zip(pixel, land)) < 80, (lat, lon, x, y, pixel)
    tab.evaluate("() => document.querySelectorAll('style').forEach(s => { if (s.textContent.includes("
                 "'cm-labels-pane, .leaflet-marker-pane')) s.remove(); })")


def test_permalink_round_trip(tab, browser, maps):
    """The hash keeps the view and the visible layers: a new tab opened at the link shows the same map."""
    set_view(tab, 40.4, 49.9, 7.5)
    tab.locator(".leaflet-control-layers .cm-toggle").click() if tab.size_name == "phone" else None
    tab.locator(".leaflet-control-layers-overlays label", has_text="Northern route").locator("input").click()
    tab.locator(".leaflet-control-layers-overlays label", has_text="Trade turnover").locator("input").click()
    url = tab.url
    assert "#map=7.50/40.4000/49.9000" in url and "northern_route" not in url and "trade" in url
    context = browser.new_context(offline=True, viewport=tab.viewport_size)
    other = context.new_page()
    try:
        other.goto(url)
        other.wait_for_selector("[data-cm-ready]")
        view = other.evaluate("""() => { const m = Object.values(window).find(v => v && v._container && v.getZoom);
                                        const c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }""")
        assert view == pytest.approx([7.5, 40.4, 49.9], abs=1e-3)
        assert other.locator("path.cm-c-northern_route").count() == 0
        assert other.locator("path.cm-trade").count() > 0
        assert other.locator("path.cm-c-btc").count() > 0
    finally:
        context.close()
    for label in ("Northern route", "Trade turnover"):
        tab.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input").click()
    if tab.size_name == "phone":
        tab.locator(".cm-open .cm-close").click()


def test_presets_frame_their_region(tab):
    if tab.size_name == "phone":
        tab.locator(".cm-title .cm-toggle").click()
    tab.locator("[data-preset='Caucasus–Caspian']").click()
    tab.wait_for_timeout(400)
    centre = tab.evaluate("""() => { const m = Object.values(window).find(v => v && v._container && v.getZoom);
                                    const c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }""")
    assert centre[0] >= (5.0 if tab.size_name == "phone" else 6.0) and 36 < centre[1] < 46 and 38 < centre[2] < 56
    if tab.size_name == "phone":  # the sheet closes so the framed region shows
        assert tab.locator(".cm-collapsible.cm-open").count() == 0


def test_a_clicked_line_opens_its_popup_clear_of_controls_without_focus_box_or_tooltip(tab):
    set_view(tab, 38.6, 37.6, 7)
    point = tab.evaluate("""() => { const m = Object.values(window).find(v => v && v._container && v.getZoom);
      const p = m.latLngToContainerPoint([38.6, 37.6]); return [p.x, p.y]; }""")
    where = find_on_path(tab, "path.cm-c-btc:not(.cm-casing)", point)
    tab.mouse.move(*where)
    tab.wait_for_selector(".leaflet-tooltip")
    tab.mouse.click(*where)
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Baku–Tbilisi–Ceyhan" in text, text[:200]
    assert text.index("Status") < text.index("Length") < text.index("Countries")
    assert popup.locator("details").first.get_attribute("open") is None  # sources folded
    assert tab.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "none" or \
        tab.evaluate("() => document.activeElement.tagName") in ("BODY", "DIV")
    assert tab.locator(".leaflet-tooltip:visible").count() == 0
    pop = tab.locator(".leaflet-popup").bounding_box()
    controls = tab.evaluate("""() => [...document.querySelectorAll('.leaflet-control, .cm-open > .cm-body')]
      .map(e => e.getBoundingClientRect()).filter(b => b.width > 0).map(b => [b.left, b.top, b.right, b.bottom])""")
    rect = [pop["x"], pop["y"], pop["x"] + pop["width"], pop["y"] + pop["height"]]
    assert [c for c in controls if overlap(rect, c)] == []
    via = popup.locator("summary", has_text="Route")
    via.click()
    cell = popup.locator("th", has_text="Via")
    if cell.count():
        value = cell.locator("xpath=../td").bounding_box()
        content = popup.bounding_box()
        assert value["x"] + value["width"] <= content["x"] + content["width"] + 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"atlas-btc-popup-{tab.size_name}.png"))
    tab.locator(".leaflet-popup-close-button").click()


def find_on_path(tab, selector: str, near: list[float]) -> tuple[float, float]:
    """A client point on the first path matching *selector* (its point nearest *near*)."""
    return tuple(tab.evaluate("""([sel, near]) => {
      const p = document.querySelector(sel), len = p.getTotalLength(), m = p.getScreenCTM();
      let best = null;
      for (let s = 0; s <= len; s += len / 200) {
        const q = p.getPointAtLength(s), x = q.x * m.a + q.y * m.c + m.e, y = q.x * m.b + q.y * m.d + m.f;
        const d = Math.hypot(x - near[0], y - near[1]);
        if (x > 0 && y > 0 && x < innerWidth && y < innerHeight && (!best || d < best[2])) best = [x, y, d];
      }
      return [best[0], best[1]]; }""", [selector, near]))
