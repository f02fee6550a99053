"""Static slide images (PNG, SVG, PDF) drawn from the same layers and style table as the HTML.

A slide is laid out first, as a :class:`Scene`: shapes and text in pixels, measured with the font that draws
them, with no drawing library involved (tests read the layout from it). The scene is then painted: PNG and PDF
with Skia, SVG written as plain elements (text stays text). No browser, no network.

Modules, in the order a slide passes through them:

- :mod:`.text`: the font (DejaVu Sans), text widths, word wrap;
- :mod:`.scene`: the items, the :class:`Scene`, the projection (Lambert conformal conic) and frame, page geometry;
- :mod:`.labels`: greedy non-overlapping label placement;
- :mod:`.compose`: building a slide's scene (map, title, side panel, sources): :func:`slide_scene`;
- :mod:`.panel`: legend, key figures, description and sources line beside the map;
- :mod:`.paint` (Skia: PNG, PDF) and :mod:`.svg`: writing a scene;
- :mod:`.files`: :func:`render_slides`, :func:`save_scene`, :func:`parse_size`.
"""

from __future__ import annotations

from .compose import slide_scene
from .files import FORMATS, parse_size, render_slides, save_scene, scene_bytes
from .labels import overlaps, place_labels
from .scene import SIZES, Area, Box, Dot, Item, Line, Panel, Scene, Text, frame, lcc

__all__ = ["FORMATS", "SIZES", "Area", "Box", "Dot", "Item", "Line", "Panel", "Scene", "Text", "frame", "lcc",
           "overlaps", "parse_size", "place_labels", "render_slides", "save_scene", "scene_bytes", "slide_scene"]
