"""Fonts and text measure: DejaVu Sans read by Skia from matplotlib's package data, widths, word wrap."""

from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

from ._skia import skia

#: (bold, italic) → the DejaVu Sans file.
FONT_FILES = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
              (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf"}
FONT_FAMILY = "DejaVu Sans"


@cache
def font_path(bold: bool = False, italic: bool = False) -> Path:
    """DejaVu Sans from matplotlib's package data: the same font file on every machine, so output is identical.

    Found without importing matplotlib (only its files are used).
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("slides need the DejaVu Sans font shipped with matplotlib: pip install matplotlib")
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / FONT_FILES[bold, italic]
    if not path.is_file():
        raise RuntimeError(f"slides: font file not found: {path}")
    return path


@cache
def typeface(bold: bool = False, italic: bool = False) -> skia.Typeface:
    # An empty font manager reads the file itself: no system fontconfig (and none of its warnings) involved.
    face = skia.FontMgr.New_Custom_Empty().makeFromFile(str(font_path(bold, italic)), 0)
    if face is None:
        raise RuntimeError(f"slides: Skia could not read the font {font_path(bold, italic)}")
    return face


@cache
def font(size: float, bold: bool = False, italic: bool = False) -> skia.Font:
    f = skia.Font(typeface(bold, italic), size)
    f.setSubpixel(True)
    f.setEdging(skia.Font.Edging.kAntiAlias)
    return f


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """The width of *text* set at *size* px (measured once per process: label placement asks about a thousand
    times a slide, mostly for the same names)."""
    return font(size, bold, italic).measureText(text)


@cache
def ascent(size: float, bold: bool = False, italic: bool = False) -> float:
    """Height of the font above the baseline (px)."""
    return -font(size, bold, italic).getMetrics().fAscent


@cache
def descent(size: float, bold: bool = False, italic: bool = False) -> float:
    return font(size, bold, italic).getMetrics().fDescent


def wrap(text: str, width: float, size: float, bold: bool = False, indent: str = "") -> list[str]:
    """Greedy word wrap to *width* px as measured in the font; continuation lines start with *indent*.

    A word wider than a line (``Afghanistan–Turkmenistan–Caspian–Azerbaijan``) breaks after its dashes or
    slashes, and failing those anywhere.

    >>> wrap("aa bb cc", text_width("aa bb", 14), 14)
    ['aa bb', 'cc']
    >>> wrap("Afghanistan–Turkmenistan–Caspian", text_width("Turkmenistan–", 14), 14)
    ['Afghanistan–', 'Turkmenistan–', 'Caspian']
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            for i, piece in enumerate(word_pieces(word, width - text_width(indent, size, bold), size, bold)):
                joined = (" " if i == 0 else "").join((line, piece)) if line else piece
                if line and text_width(joined, size, bold) > width:
                    lines.append(line)
                    line = indent + piece
                else:
                    line = joined
        lines.append(line)
    return lines


def fit(text: str, size: float, width: float, bold: bool = False) -> float:
    """*size*, or smaller so that *text* fits in *width* px on one line (a long title on a square slide)."""
    fitted = min(size, size * width / max(text_width(text, size, bold), 1e-9))
    while fitted > 1 and text_width(text, fitted, bold) > width:  # widths do not scale exactly with size
        fitted *= 0.98
    return fitted


def word_pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    """*word*, or when wider than *width* its parts ending in a dash or slash (or single characters)."""
    if text_width(word, size, bold) <= width:
        return [word]
    pieces = re.findall(r"[^–—/-]+[–—/-]*|[–—/-]+", word)
    if len(pieces) == 1:
        pieces = list(word)
    return pieces
