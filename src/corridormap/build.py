"""The main job: validate once, then run every output stage into ``maps/``.

The check runs in a forked process beside the join (drawing the base maps of the pages and slides too, which need
only the geometry), and the joined layers are used only once it has come back clean (:func:`validated_join`).
After the join, the per-corridor outputs (its HTML page, its embed, its slide images) are independent jobs dealt
to worker processes, while the main process routes the comparisons (then dealt out too: a page and a slide
each) and writes the GIS files, the atlas page and the index; the deck comes last, from the slide images.
Every file is still written atomically.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from ._errors import DataError, Problem
from .export import export
from .join import Layers, join
from .load import Atlas, load
from .network import Router, build_network, parameters_of
from .network.scenarios import Comparison, compare, comparison_frame, scenarios_of
from .render import html
from .render.base import base_of
from .render.compare import add_to_index, write_comparison
from .render.compare_slides import add_comparison_slide, render_comparison_slides
from .render.slides import render_slides
from .render.slides.base import slide_base_of
from .validate import check, validate

T = TypeVar("T")

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

    Nothing is written unless the data validates; each file is written atomically. *workers* processes render
    the per-corridor outputs (default: the number of CPUs, at most 2; 0 renders everything in this process).
    """
    # The cyclic garbage collector skips what exists now (the imported modules) and, once joined, the layers
    # (see _build): a build made 4 full collections over them in its main process and one per worker, 0.37 s of
    # CPU in all; the workers, forked after the freeze, do not even touch those pages. Unfrozen when done; a
    # caller that froze objects of its own keeps its collector as it set it (nothing frozen, nothing unfrozen).
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        return _build(root, Path(out), cdn=cdn, workers=workers, progress=progress, freeze=freeze)
    finally:
        if freeze:
            gc.unfreeze()


def _build(root: str | Path | None, out: Path, *, cdn: bool, workers: int | None,
           progress: Callable[[str], None], freeze: bool) -> list[Path]:
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    layers = validated_join(load(root), beside=workers > 0)
    progress("validated")
    removed = remove_leftovers(out)
    if removed:
        progress(f"removed {removed} temp file(s) left by a killed build")
    html.prepare(layers)
    if freeze:
        gc.freeze()  # the joined layers, before the workers fork (see build)
    # The pool hands jobs out in the order they come: the largest first (the atlas slide; the comparisons once
    # routed), then the corridors' slides, their pages (the smallest) last, so that no worker ends on a long job
    # while the other idles.
    targets: list[str | None] = [None, *layers.corridors["id"]]
    head = targets[:1 + EARLY_CORRIDORS]
    with job_pool(workers, Job(layers, out, cdn)) as pool:
        slide_jobs = {cid: pool.submit(run_job, cid, "slides") for cid in head}
        # The network is built and routed here while the workers draw the corridors (networkx, 70 ms to import,
        # is this process's alone); each comparison then goes to a worker with the router's legs and parameters.
        router = Router(build_network(layers), parameters_of(layers.atlas))
        comparisons = compare(router, scenarios_of(layers.atlas))
        progress(f"routed {sum(len(c.outcomes) for c in comparisons)} alternatives of {len(comparisons)} scenarios")
        drawing = router.for_drawing()
        compared = [pool.submit(run_comparison, c, drawing) for c in comparisons]
        slide_jobs |= {cid: pool.submit(run_job, cid, "slides") for cid in targets[len(head):]}
        page_jobs = {cid: pool.submit(run_job, cid, "pages") for cid in targets if cid is not None}
        written = export(layers, out / "gis", comparisons=comparison_frame(comparisons) if comparisons else None)
        progress(f"exported {len(written)} GIS files")
        pages = [html.write_atlas(layers, out, cdn=cdn), html.write_index(layers, out)]
        add_to_index(pages[1], comparisons)
        from .render.deck import Deck  # python-pptx (36 ms to import) is the main process's alone: after the fork

        deck = Deck(layers, html.as_of(layers))
        done: list[Path] = []
        # the deck in corridor order, then the comparisons', while later jobs still run
        for target, job in [*((cid, slide_jobs[cid]) for cid in targets), *zip(comparisons, compared)]:
            paths = job.result()
            done += paths
            png = next((p for p in paths if p.suffix == ".png"), None)
            if isinstance(target, Comparison) and png is not None:
                add_comparison_slide(deck.prs, router, target, png)
            elif isinstance(target, str) and png is not None:
                deck.add_corridor(target, png)
        done += [p for job in page_jobs.values() for p in job.result()]
    maps = pages + [p for p in done if p.suffix == ".html"]
    slides = [p for p in done if p.suffix != ".html"]
    progress(f"rendered {len(maps)} HTML pages{' (CDN-linked)' if cdn else ' (self-contained)'}")
    progress(f"drew {len(slides)} slide images")
    pptx = deck.save(out / "corridormap.pptx")
    progress("wrote the PowerPoint deck")
    return [*written, *maps, *slides, pptx]


#: Corridors dealt to the workers before the comparisons: enough to keep them busy while the main process routes.
EARLY_CORRIDORS = 3


def validated_join(atlas: Atlas, *, beside: bool = True) -> Layers:
    """:func:`validate` then :func:`join` *atlas*; raises :class:`DataError` listing every problem.

    With *beside* (and ``fork``), a forked process checks the atlas and draws the base maps of the pages and of
    the slides (they need only the geometry: :func:`corridormap.render.base.base_of`,
    :func:`corridormap.render.slides.base.slide_base_of`) while this one joins, so the two stages of the build's
    serial head share the two cores. The joined layers are used only once the check has come back clean; when
    the join fails on data the check rejects, the check's problems are what is raised.
    """
    if not beside or atlas.problems or not can_fork():
        validate(atlas)
        return join(atlas)
    pool = forked_pool(1, _start_checker, atlas)
    try:
        checked = pool.submit(_check_and_draw_base)
        try:
            layers = join(atlas)
        except Exception:
            if problems := _checked(checked, atlas)[0]:
                raise DataError(problems) from None
            raise
        problems, drawn = _checked(checked, atlas)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if problems:
        raise DataError(problems)
    layers.cache.update(drawn)
    return layers


_CHECKED: Atlas | None = None


def _start_checker(atlas: Atlas) -> None:
    """The checker's initializer: the atlas is inherited through fork, not pickled."""
    global _CHECKED
    _CHECKED = atlas
    _die_with_parent()


def _check_and_draw_base() -> tuple[list[Problem], dict]:
    assert _CHECKED is not None, "_start_checker() sets the atlas up"
    problems = check(_CHECKED)
    return problems, ({} if problems else {**base_of(_CHECKED), **slide_base_of(_CHECKED)})


def _checked(future: Future, atlas: Atlas) -> tuple[list[Problem], dict]:
    """The checker's answer; if its process died, the check made here (the base is then drawn as usual)."""
    try:
        return future.result()
    except BrokenProcessPool:
        return check(atlas), {}


class Job:
    """What every job needs; handed to each worker once, when it starts (inherited, not pickled, under fork)."""

    current: Job | None = None

    def __init__(self, layers: Layers, out: Path, cdn: bool):
        self.layers, self.out, self.cdn = layers, out, cdn

    def compare(self, comparison: Comparison, router: Router) -> list[Path]:
        """A comparison's page and slides (the comparison is routed by the main process, which sends *router*)."""
        return [write_comparison(self.layers, router, comparison, self.out / "compare", cdn=self.cdn),
                *render_comparison_slides(self.layers, router, comparison, self.out / "slides")]

    def run(self, cid: str | None, part: str) -> list[Path]:
        """A corridor's ``slides`` (or, *cid* None, the atlas's) or its ``pages`` (its page and its embed)."""
        if part == "slides":
            return render_slides(self.layers, self.out / "slides", corridors=[cid])
        assert cid is not None and part == "pages", f"a corridor's slides or pages, not {part!r} of {cid!r}"
        return [html.write_corridor(self.layers, cid, self.out, cdn=self.cdn),
                html.write_embed(self.layers, cid, self.out / "embed", cdn=self.cdn)]


def run_job(cid: str | None, part: str) -> list[Path]:
    assert Job.current is not None, "job_pool() sets the job up in every worker"
    return Job.current.run(cid, part)


def run_comparison(comparison: Comparison, router: Router) -> list[Path]:
    assert Job.current is not None, "job_pool() sets the job up in every worker"
    return Job.current.compare(comparison, router)


def _start_worker(job: Job) -> None:
    """A worker's initializer: keep the job, and die with the build (see :func:`_die_with_parent`)."""
    Job.current = job
    _die_with_parent()


class _InProcess:
    """A stand-in for a pool that runs each job at once (``workers=0``)."""

    def __init__(self, job: Job):
        Job.current = job

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        Job.current = None

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def job_pool(workers: int, job: Job):
    if workers <= 0:
        return _InProcess(job)
    return forked_pool(workers, _start_worker, job)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def forked_pool(workers: int, initializer: Callable[[T], None], value: T) -> ProcessPoolExecutor:
    """*workers* processes, each started with ``initializer(value)``: forked where the system can (*value* is then
    inherited, not pickled), else spawned."""
    context = multiprocessing.get_context("fork" if can_fork() else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer, initargs=(value,))


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
