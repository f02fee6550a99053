"""Static slide images (PNG, SVG, PDF) drawn from the same layers and style table as the HTML.

A slide is laid out first, as a :class:`Scene`: shapes and text in pixels, measured with the font that draws
them, with no drawing library involved (tests read the layout from it). The scene is then painted: PNG and PDF
with Skia, SVG written as plain elements (text stays text). No browser, no network.

Modules, in the order a slide passes through them:

- :mod:`.text`: the font (DejaVu Sans), text widths, word wrap;
- :mod:`.scene`: the items, the :class:`Scene`, the projection (Lambert conformal conic) and frame, page geometry;
- :mod:`.labels`: greedy non-overlapping label placement;
- :mod:`.content`: what a slide says, :class:`SlideContent` (lines, title, side text, sources);
- :mod:`.compose`: laying a content out as a scene (map, title, side panel, sources): :func:`compose_scene`,
  and :func:`slide_scene` for the atlas or a corridor;
- :mod:`.panel`: legend, key figures, description and sources line beside the map;
- :mod:`.paint` (Skia: PNG, PDF) and :mod:`.svg`: writing a scene;
- :mod:`.files`: :func:`render_slides`, :func:`save_scene`, :func:`parse_size`.
"""

from __future__ import annotations

from .compose import compose_scene, slide_scene
from .content import SlideContent, corridor_content
from .files import FORMATS, parse_size, render_slides, save_scene, scene_bytes
from .labels import overlaps, place_labels
from .scene import SIZES, Area, Box, Dot, Item, Line, Panel, Scene, Text, frame, lcc

__all__ = ["FORMATS", "SIZES", "Area", "Box", "Dot", "Item", "Line", "Panel", "Scene", "SlideContent", "Text",
           "compose_scene", "corridor_content", "frame", "lcc", "overlaps", "parse_size", "place_labels",
           "render_slides", "save_scene", "scene_bytes", "slide_scene"]
