"""The main job: validate once, then run every output stage into ``maps/``.

Slides (matplotlib) render in worker processes while the main process writes the GIS files and HTML maps, so
the build uses both cores of a small machine; every file is still written atomically.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .export import export
from .join import Layers, join
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


def build(root: str | Path | None = None, out: str | Path = "maps", *, cdn: bool = False, workers: int | None = None,
          progress: Callable[[str], None] = lambda _msg: None) -> list[Path]:
    """Load, validate, join and write every output under *out*; returns the paths written.

    Nothing is written unless the data validates; each file is written atomically. *workers* processes draw the
    slides (default: the number of CPUs, at most 2; 0 draws them in this process).
    """
    out = Path(out)
    atlas = load(root)
    validate(atlas)
    progress("validated")
    removed = remove_leftovers(out)
    if removed:
        progress(f"removed {removed} temp file(s) left by a killed build")
    layers = join(atlas)
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    with slide_pool(workers) as pool:
        pending = submit_slides(pool, layers, out / "slides", workers)
        written = export(layers, out / "gis")
        progress(f"exported {len(written)} GIS files")
        maps = render_html(layers, out, cdn=cdn) + render_embeds(layers, out / "embed", cdn=cdn)
        progress(f"rendered {len(maps)} HTML pages{' (CDN-linked)' if cdn else ' (self-contained)'}")
        slides = [path for job in pending for path in job.result()]
    progress(f"drew {len(slides)} slide images")
    images = {p.stem: p for p in slides if p.suffix == ".png"}
    deck = write_deck(layers, images, out / "corridormap.pptx", as_of=as_of(layers))
    progress("wrote the PowerPoint deck")
    return [*written, *maps, *slides, deck]


class _InProcess:
    """A stand-in for a pool that runs each job at once (``workers=0``)."""

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def slide_pool(workers: int):
    if workers <= 0:
        return _InProcess()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent)


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the build process dies, even by SIGKILL, so no orphan keeps drawing.

    SIGTERM takes its default action here (the CLI's handler, inherited through fork, would turn it into a
    KeyboardInterrupt that the pool's worker loop survives); a temp file it leaves is removed by the next build.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1


def submit_slides(pool, layers: Layers, out: Path, workers: int) -> list[Future]:
    """The atlas and every corridor's slide, dealt round-robin into one job per worker."""
    targets: list[str | None] = [None, *layers.corridors["id"]]
    chunks = [targets[i::max(1, workers)] for i in range(max(1, workers))]
    return [pool.submit(render_slides, layers, out, corridors=chunk) for chunk in chunks if chunk]
