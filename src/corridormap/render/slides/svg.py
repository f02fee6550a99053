"""A scene written as plain SVG elements: text stays selectable text, every text from data XML-escaped."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import numpy as np

from ... import style
from .scene import Area, Dot, Item, Line, Panel, Scene
from .text import FONT_FAMILY


def svg_text(scene: Scene) -> str:
    """The scene as SVG elements; every text from data is XML-escaped, text stays selectable text."""
    bx0, by0, bx1, by1 = scene.map_box
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width}" height="{scene.height}" '
           f'viewBox="0 0 {scene.width} {scene.height}" font-family="{FONT_FAMILY}, sans-serif">',
           f"<title>{xml_text(scene.title)}</title>",
           f'<clipPath id="map"><rect x="{bx0:.1f}" y="{by0:.1f}" width="{bx1 - bx0:.1f}" '
           f'height="{by1 - by0:.1f}"/></clipPath>',
           f'<rect width="{scene.width}" height="{scene.height}" fill="#ffffff"/>',
           f'<g clip-path="url(#map)"><rect x="{bx0:.1f}" y="{by0:.1f}" width="{bx1 - bx0:.1f}" '
           f'height="{by1 - by0:.1f}" fill="{style.OUTSIDE}"/>',
           *map(svg_item, scene.map_items), "</g>",
           f'<rect x="{bx0:.1f}" y="{by0:.1f}" width="{bx1 - bx0:.1f}" height="{by1 - by0:.1f}" fill="none" '
           f'stroke="#333333"/>',
           *map(svg_item, scene.page_items), "</svg>"]
    return '<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(out) + "\n"


#: Characters XML 1.0 does not allow at all, even escaped (C0 controls other than tab, newline, return).
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Data text as SVG character data: markup escaped, characters XML cannot hold dropped.

    >>> xml_text("<b>A&B</b>\x0b")
    '&lt;b&gt;A&amp;B&lt;/b&gt;'
    """
    return escape(XML_INVALID.sub("", text))


def svg_points(points: np.ndarray, closed: bool) -> str:
    if len(points) == 0:
        return ""
    coords = " ".join(f"{x:.1f} {y:.1f}" for x, y in points.tolist())
    return f"M{coords}{'Z' if closed else ''}"


def svg_item(item: Item) -> str:
    if isinstance(item, Area):
        d = "".join(svg_points(r, True) for r in item.rings)
        stroke = (f' stroke="{item.stroke}" stroke-width="{item.width:g}" stroke-linejoin="round"'
                  if item.width > 0 else "")
        return f'<path d="{d}" fill="{item.fill}" fill-rule="evenodd"{stroke}/>'
    if isinstance(item, Line):
        dash = f' stroke-dasharray="{" ".join(f"{v:g}" for v in item.dash)}"' if item.dash else ""
        return (f'<path d="{svg_points(item.points, False)}" fill="none" stroke="{item.color}" '
                f'stroke-opacity="{item.opacity:g}" stroke-width="{item.width:g}" stroke-linejoin="round" '
                f'stroke-linecap="{"round" if item.round_cap else "butt"}"{dash}/>')
    if isinstance(item, Dot):
        return (f'<circle cx="{item.x:.1f}" cy="{item.y:.1f}" r="{item.r:g}" fill="{item.fill}" '
                f'stroke="{item.stroke}" stroke-width="{item.width:g}"/>')
    if isinstance(item, Panel):
        x0, y0, x1, y1 = item.box
        stroke = f' stroke="{item.stroke}"' if item.stroke else ""
        return (f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                f'rx="{item.radius:g}" fill="{item.fill}" fill-opacity="{item.opacity:g}"{stroke}/>')
    weight = ' font-weight="bold"' if item.bold else ""
    anchor = ' text-anchor="end"' if item.right else ""
    italic = ' font-style="italic"' if item.italic else ""
    turn = f' transform="rotate({item.angle:g} {item.x:.1f} {item.y:.1f})"' if item.angle else ""
    return (f'<text x="{item.x:.1f}" y="{item.y:.1f}" font-size="{item.size:g}" fill="{item.color}"{weight}'
            f'{italic}{anchor}{turn} xml:space="preserve">{xml_text(item.text)}</text>')
