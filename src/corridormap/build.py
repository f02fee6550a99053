"""The main job: validate once, then run every output stage into ``maps/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .export import export
from .join import join
from .load import load
from .render.deck import write_deck
from .render.html import as_of, render_embeds, render_html
from .render.slides import render_slides
from .validate import validate

#: Temp files of atomic writes (see _io.atomic_path); only a killed process (SIGKILL) can leave one behind.
LEFTOVER_GLOB = ".*.part.*"


def remove_leftovers(out: Path) -> int:
    """Delete temp files a killed build left in *out*; returns how many."""
    leftovers = list(out.rglob(LEFTOVER_GLOB)) if out.exists() else []
    for path in leftovers:
        path.unlink()
    return len(leftovers)


def build(root: str | Path | None = None, out: str | Path = "maps", *, cdn: bool = False,
          progress: Callable[[str], None] = lambda _msg: None) -> list[Path]:
    """Load, validate, join and write every output under *out*; returns the paths written.

    Nothing is written unless the data validates; each file is written atomically.
    """
    out = Path(out)
    atlas = load(root)
    validate(atlas)
    progress("validated")
    removed = remove_leftovers(out)
    if removed:
        progress(f"removed {removed} temp file(s) left by a killed build")
    layers = join(atlas)
    written = export(layers, out / "gis")
    progress(f"exported {len(written)} GIS files")
    maps = render_html(layers, out, cdn=cdn) + render_embeds(layers, out / "embed", cdn=cdn)
    progress(f"rendered {len(maps)} HTML pages{' (CDN-linked)' if cdn else ' (self-contained)'}")
    slides = render_slides(layers, out / "slides")
    progress(f"drew {len(slides)} slide images")
    images = {p.stem: p for p in slides if p.suffix == ".png"}
    deck = write_deck(layers, images, out / "corridormap.pptx", as_of=as_of(layers))
    progress("wrote the PowerPoint deck")
    return [*written, *maps, *slides, deck]
