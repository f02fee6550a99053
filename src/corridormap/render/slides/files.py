"""Slide files: a scene in one format, written atomically; every slide of the atlas; the ``--size`` parser."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..._io import atomic_path
from ...join import Layers
from .compose import slide_scene
from .paint import pdf_bytes, png_bytes
from .scene import SIZES, Scene
from .svg import svg_text

FORMATS = ("png", "svg", "pdf")


def scene_bytes(scene: Scene, fmt: str) -> bytes:
    if fmt == "png":
        return png_bytes(scene)
    if fmt == "pdf":
        return pdf_bytes(scene)
    if fmt == "svg":
        return svg_text(scene).encode("utf-8")
    raise ValueError(f"slide format: expected one of {', '.join(FORMATS)}, found {fmt!r}")


def save_scene(scene: Scene, path: Path) -> Path:
    """Write one format (from the suffix) atomically; the same data gives byte-identical files."""
    data = scene_bytes(scene, path.suffix[1:])
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def render_slides(layers: Layers, out: str | Path = "maps/slides", *, corridors: list[str | None] | None = None,
                  size: tuple[int, int] = SIZES["16:9"], scale: float = 1.0,
                  formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write ``atlas.<fmt>`` and ``<corridor>.<fmt>`` for every corridor (or those given); returns the paths."""
    out = Path(out)
    targets: list[str | None] = [None, *layers.corridors["id"]] if corridors is None else list(corridors)
    written = []
    for cid in targets:
        scene = slide_scene(layers, cid, size=size, scale=scale)
        written += [save_scene(scene, out / f"{cid or 'atlas'}.{fmt}") for fmt in formats]
    return written


def parse_size(text: str) -> tuple[int, int]:
    """``1920x1080`` or a named size (``16:9``, ``4:3``, ``square``).

    >>> parse_size("1280x720"), parse_size("square")
    ((1280, 720), (1080, 1080))
    """
    if text in SIZES:
        return SIZES[text]
    w, _, h = text.lower().partition("x")
    if not (w.isdigit() and h.isdigit()) or not (200 <= int(w) <= 10000 and 200 <= int(h) <= 10000):
        raise ValueError(f"--size: expected WIDTHxHEIGHT in pixels (200..10000) or one of {', '.join(SIZES)}, "
                         f"found {text!r}")
    return int(w), int(h)
