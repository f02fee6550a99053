"""The page beside the map: legend, key figures, the corridor's description, and the sources line."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ... import style
from .content import SlideContent
from .scene import ABOUT, FIGURES, LEGEND, LEGEND_TITLE, SIDE, Item, Line, Panel, Scene, Text, dashes
from .text import ascent, descent, wrap


def legend_items(x: float, y: float, entries: list[tuple[list[Line], str]], size: float,
                 scale: float) -> tuple[list[Item], float]:
    """Legend rows (line samples + label) from (x, y) down; returns the items and the bottom y."""
    items: list[Item] = [Text(x, y + ascent(LEGEND_TITLE * scale, True), "Legend", LEGEND_TITLE * scale, bold=True)]
    row = size * 1.55
    y += LEGEND_TITLE * scale * 1.6
    for samples, label in entries:
        mid = y + row / 2
        if len(samples) > 1:  # a cased sample (white halo) shows on land colour, as on the map
            items.append(Panel((x - 0.3 * size, y + 0.1 * row, x + 3.3 * size, y + 0.9 * row), style.LAND,
                               radius=0.2 * size))
        for sample in samples:
            items.append(replace(sample, points=np.array([[x, mid], [x + 3 * size, mid]])))
        items.append(Text(x + 3.6 * size, mid + ascent(size) / 2 - descent(size) / 2, label, size))
        y += row
    return items, y


def legend_entries(names: dict[str, str], statuses: set[str], modes: set[str], scale: float) -> list:
    """(line samples, label) per corridor colour, status dash and cased mode present on the slide."""
    k = 1.5 * scale
    entries = [([Line(np.empty((0, 2)), c, 5.5 * scale)], n) for n, c in names.items()]
    for status, s in style.STATUS.items():
        if status in statuses:
            entries.append(([Line(np.empty((0, 2)), "#444444", 3 * k, 1.0, dashes(s["dash"], k), not s["dash"])],
                            s["label"]))
    for mode, m in style.MODE.items():
        if mode in modes and m["casing"]:
            entries.append(([Line(np.empty((0, 2)), m["casing"], (m["weight"] + style.CASING_EXTRA) * k, 0.9),
                             Line(np.empty((0, 2)), "#444444", m["weight"] * k)], m["label"]))
    return entries


def side_panel(scene: Scene, content: SlideContent, scale: float) -> None:
    """Legend, key-figures box and (for a corridor) its description, stacked down the right of the map; set
    smaller, step by step down to 60 %, where it would run below the map (the atlas on a square slide)."""
    for k in (1.0, 0.9, 0.8, 0.7, 0.6):
        items, bottom = side_items(scene, content, scale * k)
        if bottom <= scene.map_box[3]:
            break
    scene.page_items += items


def side_items(scene: Scene, content: SlideContent, scale: float) -> tuple[list[Item], float]:
    """The side panel's items at *scale*, and how far down they reach."""
    w, h = scene.width, scene.height
    x, right = SIDE * w, 0.985 * w
    size = LEGEND * scale
    entries = legend_entries(content.legend, set(content.lines["status"]), set(content.lines["mode"]), scale)
    for i, (samples, label) in enumerate(entries):  # long corridor names wrap beside their sample
        label_lines = wrap(label, right - x - 3.6 * size, size)
        entries[i] = (samples, label_lines[0])
        entries[i + 1:i + 1] = [([], line) for line in label_lines[1:]]
    items, bottom = legend_items(x, scene.map_box[1], entries, size, scale)
    lines = [content.figures_title]
    fsize, pad = FIGURES * scale, 0.6 * FIGURES * scale
    for figure in content.figures or ["No observed volume in the sources yet."]:
        lines += wrap(figure, right - x - 2 * pad, fsize, indent="  ")
    line_h = fsize * 1.45
    top = max(0.48 * h, bottom + 0.03 * h) if bottom < 0.45 * h else bottom + 0.03 * h
    panel = (x, top, right, top + 2 * pad + len(lines) * line_h - (line_h - fsize * 1.2))
    items.append(Panel(panel, "#f7f7f4", stroke="#cccccc", radius=0.4 * fsize))
    items += [Text(x + pad, top + pad + ascent(fsize) + i * line_h, line, fsize, bold=i == 0)
              for i, line in enumerate(lines)]
    bottom = panel[3]
    if content.about:
        asize = ABOUT * scale
        about_lines = wrap(content.about, right - x, asize)
        about_h = asize * 1.35
        first = max(panel[3] + 0.02 * h, scene.map_box[3] - (len(about_lines) - 1) * about_h - descent(asize))
        items += [Text(x, first + i * about_h, line, asize, "#333333") for i, line in enumerate(about_lines)]
        bottom = first + (len(about_lines) - 1) * about_h + descent(asize)
    return items, bottom
