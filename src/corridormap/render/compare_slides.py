"""A slide per scenario (``maps/slides/compare_<scenario>.{png,svg,pdf}``): the alternatives over the network and
their figures beside the map, laid out with the slides' :class:`Scene` and painted by the same painters."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from .. import style
from ..join import Layers
from ..network import Router
from ..network.scenarios import ALTERNATIVE_COLORS, Comparison, Outcome
from .slides.base import base_areas
from .slides.files import FORMATS, save_scene
from .slides.labels import place_labels, short_name
from .slides.scene import (
    FIGURES,
    LONLAT,
    SIDE,
    SIZES,
    SOURCE,
    SUBTITLE,
    TITLE,
    Dot,
    Line,
    Panel,
    Scene,
    Text,
    dashes,
    frame,
    lcc,
    map_box_of,
    project,
    to_scene,
    transformer,
)
from .slides.text import ascent, fit, wrap


def slide_name(comparison: Comparison) -> str:
    return f"compare_{comparison.scenario.id}"


def leg_frame(outcome: Outcome) -> gpd.GeoDataFrame:
    legs = outcome.route.legs if outcome.route else ()
    return gpd.GeoDataFrame({"status": [leg.status for leg in legs], "mode": [leg.mode for leg in legs]},
                            geometry=[leg.geometry for leg in legs], crs="EPSG:4326")


def comparison_scene(layers: Layers, router: Router, comparison: Comparison, *,
                     size: tuple[int, int] = SIZES["16:9"], scale: float = 1.0) -> Scene:
    """The scenario's slide: network in grey, each alternative in its colour, the figures in the side panel."""
    w, h = round(size[0] * scale), round(size[1] * scale)
    map_box = map_box_of(w, h)
    frames = [leg_frame(o) for o in comparison.outcomes]
    drawn = gpd.GeoDataFrame(gpd.pd.concat([f for f in frames if len(f)]), geometry="geometry", crs="EPSG:4326")
    crs = lcc(drawn.total_bounds)
    extent = frame(tuple(to_scene(drawn, crs).total_bounds), (map_box[2] - map_box[0]) / (map_box[3] - map_box[1]))
    scene = Scene(w, h, comparison.scenario.name, crs, extent, map_box)
    px = (extent[2] - extent[0]) / (map_box[2] - map_box[0])
    areas, _ = base_areas(layers, scene, px, set())
    scene.map_items += areas
    network = project([leg.geometry for leg in router.network.legs.values()], LONLAT, crs)
    for geom in shapely.simplify(network, px / 2):
        scene.map_items.append(Line(scene.to_px(*np.asarray(geom.coords).T), "#8c8c8c", 1.6 * scale, 0.8))
    casings, lines = [], []
    for i, f in enumerate(frames):
        color = ALTERNATIVE_COLORS[i % len(ALTERNATIVE_COLORS)]
        for geom, status in zip(to_scene(f, crs).simplify(px / 2), f["status"]):
            points = scene.to_px(*np.asarray(geom.coords).T)
            dash = dashes(style.STATUS[status]["dash"], scale)
            width = max(3.0, 12.0 - 3 * i) * scale  # narrower over wider: shared track shows every colour
            casings.append(Line(points, "#ffffff", width + 4 * scale, 0.9))
            lines.append(Line(points, color, width, 1.0, dash, not dash))
    scene.map_items += casings + lines  # every casing first: no halo cuts a wider line, no gaps where legs meet
    nodes = router.network.nodes
    ends = [n for n in dict.fromkeys(x for o in comparison.outcomes for x in (o.alternative.start, o.alternative.end))
            if n in nodes]
    x, y = transformer(LONLAT, crs).transform([nodes[n]["lon"] for n in ends], [nodes[n]["lat"] for n in ends])
    points = scene.to_px(np.asarray(x, float), np.asarray(y, float)).tolist()
    scene.map_items += [Dot(x, y, 6 * scale, "#222222", "#ffffff", 2 * scale) for x, y in points]
    place_labels(scene, [(x, y, short_name(nodes[n]["name"])) for (x, y), n in zip(points, ends)], scale)
    add_heading(scene, comparison, scale)
    scene.page_items += side_figures(scene, comparison, scale)
    add_sources(scene, layers, router, comparison, scale)
    return scene


def add_heading(scene: Scene, comparison: Comparison, scale: float) -> None:
    w, h = scene.width, scene.height
    title = comparison.scenario.name
    subtitle = "Computed over the corridor network: km as traced, days as a range from cited parameters"
    ts, ss = fit(title, TITLE * scale, 0.97 * w, bold=True), fit(subtitle, SUBTITLE * scale, 0.97 * w)
    scene.page_items += [Text(0.015 * w, 0.045 * h + ascent(ts, True) / 2, title, ts, bold=True),
                         Text(0.015 * w, 0.095 * h + ascent(ss) / 2, subtitle, ss, "#444444")]


def figure_lines(o: Outcome) -> list[str]:
    r, a = o.route, o.alternative
    if r is None:
        return ["no route: " + o.error.split(": ", 1)[-1]]
    lines = [f"{r.km:,.0f} km · {r.days.low:.1f}–{r.days.high:.1f} days",
             f"{r.border_crossings} border crossings · {r.transshipments} transshipments",
             " – ".join(r.countries)]
    if r.statuses:
        lines.append("includes legs " + ", ".join(style.STATUS[s]["label"].lower() for s in r.statuses))
    if a.published_days:
        lines.append(f"published: {a.published_days_text()} ({a.source})")
    return lines


def side_figures(scene: Scene, comparison: Comparison, scale: float) -> list:
    """Per alternative: a colour sample and its name, then its figures, down the right of the map."""
    w = scene.width
    x, right = SIDE * w, 0.985 * w
    for k in (1.4, 1.2, 1.0, 0.8, 0.6):
        size = FIGURES * scale * k
        items: list = []
        y = scene.map_box[1]
        for i, o in enumerate(comparison.outcomes):
            color = ALTERNATIVE_COLORS[i % len(ALTERNATIVE_COLORS)]
            name = wrap(o.alternative.name, right - x - 3.2 * size, size * 1.15, bold=True)
            mid = y + ascent(size * 1.15, True) / 2
            items.append(Line(np.array([[x, mid], [x + 2.6 * size, mid]]), color, 6 * scale))
            for j, line in enumerate(name):
                items.append(Text(x + 3.2 * size, y + ascent(size * 1.15, True) + j * size * 1.5, line, size * 1.15,
                                  bold=True))
            y += len(name) * size * 1.5
            for line in (p for text in figure_lines(o) for p in wrap(text, right - x - 3.2 * size, size)):
                items.append(Text(x + 3.2 * size, y + ascent(size), line, size, "#222222"))
                y += size * 1.4
            y += size * 1.2
        if y <= scene.map_box[3]:
            break
    box = (x - 0.006 * w, scene.map_box[1] - 0.01 * scene.height, right + 0.004 * w, y)
    return [Panel(box, "#f7f7f4", stroke="#cccccc", radius=6 * scale), *items]


def add_sources(scene: Scene, layers: Layers, router: Router, comparison: Comparison, scale: float) -> None:
    w, h = scene.width, scene.height
    rows = router.params.sources(comparison.parameter_ids())
    publishers = dict(zip(layers.sources["id"], layers.sources["publisher"]))
    cited = "; ".join(dict.fromkeys(publishers.get(s) or s for s in rows["source"]))
    published = "; ".join(dict.fromkeys(publishers.get(o.alternative.source) or o.alternative.source
                                        for o in comparison.outcomes if o.alternative.source))
    text = (f"Time parameters: {cited or 'none'}. Published figures: {published or 'none'}. Routes: corridormap "
            f"network (routes/*.geojson). {style.licence_credits(layers.segments['licence'])} Base map: Natural Earth "
            "(public domain).")
    lines = wrap(text, 0.97 * w, SOURCE * scale)[:3]
    line_h = SOURCE * scale * 1.3
    y = 0.965 * h - (len(lines) - 1) * line_h / 2 + ascent(SOURCE * scale) / 2
    scene.page_items += [Text(0.015 * w, y + i * line_h, line, SOURCE * scale, "#555555")
                         for i, line in enumerate(lines)]


def render_comparison_slides(layers: Layers, router: Router, comparison: Comparison, out: Path, *,
                             formats=FORMATS) -> list[Path]:
    """``<out>/compare_<scenario>.<fmt>`` for each format; nothing when no alternative has a route."""
    if not any(o.route for o in comparison.outcomes):
        return []
    scene = comparison_scene(layers, router, comparison)
    return [save_scene(scene, out / f"{slide_name(comparison)}.{fmt}") for fmt in formats]


def add_comparison_slide(prs, router: Router, comparison: Comparison, image: Path) -> None:
    """A deck slide: the scenario's image, its figures as a table, the cited parameters in the notes."""
    from pptx.util import Emu, Pt

    from .deck import SLIDE_H, SLIDE_W, TITLE_ONLY_LAYOUT

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    title = slide.shapes.title
    title.text = comparison.scenario.name
    title.text_frame.word_wrap = True
    title.text_frame.paragraphs[0].font.size = Pt(24)
    title.left, title.top, title.width, title.height = Emu(250000), Emu(150000), SLIDE_W - Emu(500000), Emu(900000)
    height = SLIDE_H - Emu(1150000) - Emu(150000)  # the slide image (16:9) below the title, centred
    width = Emu(int(height * 16 / 9))
    slide.shapes.add_picture(str(image), Emu((SLIDE_W - width) // 2), Emu(1150000), width=width, height=height)
    rows = [(o.alternative.name, *(figure_cells(o))) for o in comparison.outcomes]
    notes = [comparison.scenario.description, "", "Alternatives (km · days · borders · transshipments · published):"]
    notes += [" · ".join(r) for r in rows]
    notes += ["", "Time parameters (routes/parameters.csv):"]
    for _, p in router.params.sources(comparison.parameter_ids()).iterrows():
        notes.append(f"- {p['id']}: {p['low']}–{p['high']} {p['unit']} [{p['source']}] \u201c{p['quote']}\u201d")
    notes += [f"- published, {o.alternative.name}: [{o.alternative.source}] \u201c{o.alternative.quote}\u201d"
              for o in comparison.outcomes if o.alternative.source]
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)


def figure_cells(o: Outcome) -> tuple[str, ...]:
    r, a = o.route, o.alternative
    published = f"{a.published_days_text()} ({a.source})" if a.published_days else ""
    if r is None:
        return ("no route", "", "", "", published)
    return (f"{r.km:,.0f} km", f"{r.days.low:.1f}–{r.days.high:.1f} days", f"{r.border_crossings} borders",
            f"{r.transshipments} transshipments", published)
