"""The ``corridormap`` command: a thin layer over the library. ``Error: …`` and exit 1 on bad data."""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from ._errors import DataError
from .settings import MAPS_DIR

EPILOG = "Run in a corridormap repository (folders geo/ and routes/), or pass --root."
#: Problems printed in full; the rest are counted by file and field.
PRINT_LIMIT = 50


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``corridormap`` and ``python -m corridormap``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    # SIGTERM unwinds like Ctrl-C, so every atomic write removes its temp file and nothing half-written stays.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    _received.clear()
    try:
        code = args.func(args)
        check_interrupted()  # a signal whose exception Python swallowed, after the last checkpoint
        return code
    except DataError as err:
        print(f"Error: {err.report(PRINT_LIMIT)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `corridormap info | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Interrupted: files already written are complete; nothing was left half-written.", file=sys.stderr)
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run() -> NoReturn:
    """The console script and ``python -m corridormap``: :func:`main`, then exit at once.

    The exit handlers run and the streams are flushed, but the heap is not freed object by object: after a build
    that teardown took 0.22 s of a 3.9 s run, for memory the system reclaims in one step anyway. (Use
    :func:`main` to call the command from Python.)
    """
    try:
        code = main()
    except SystemExit as exc:  # argparse's --help and usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    atexit._run_exitfuncs()  # noqa: SLF001 - what interpreter shutdown would run first
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader left, or the stream is closed
            pass
    os._exit(code)


#: Signals received by this run of :func:`main`.
_received: list[int] = []


def _interrupt(signum: int, _frame: object) -> None:
    """Ctrl-C or SIGTERM: remembered, then raised where the program is.

    Python ignores an exception raised where it cannot propagate (a ``__del__``, a weakref or at-fork callback:
    a Ctrl-C landing while a worker is forked is printed as "Exception ignored" and lost), so the build also
    looks at :func:`check_interrupted` between stages.
    """
    _received.append(signum)
    raise KeyboardInterrupt(f"signal {signum}")


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if a signal came and its exception was swallowed where it landed."""
    if _received:
        raise KeyboardInterrupt(f"signal {_received[0]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corridormap", description="Maps of the Eurasian transport corridors.",
                                     epilog=EPILOG)
    parser.add_argument("--root", type=Path, default=None, help="the repository folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (func, help_text, example, options) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=f"Example: {example}")
        p.set_defaults(func=func)
        for add in options:
            add(p)
    return parser


def opt_out(default: str) -> Callable[[argparse.ArgumentParser], None]:
    def add(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", type=Path, default=None, help=f"output folder (default: {default})")
    return add


def opt_cdn(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cdn", action="store_true",
                   help="link Leaflet from a CDN instead of inlining it (smaller HTML; needs the network)")


def opt_facts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corridor", help="only rows about this corridor id (its own subject and its segments)")
    p.add_argument("--country", help="only rows naming this ISO3 code (in a subject or the parties)")
    p.add_argument("--metric", help="only volume rows of this metric, e.g. trade_turnover")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")


def opt_info(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "markdown"), default="table",
                   help="output format: an indented table, CSV rows (corridor, mode, role, country, km), or "
                        "the Markdown table of the README")


def opt_slides(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corridor", action="append", help="only this corridor id (repeatable; 'atlas' for all)")
    p.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT in pixels, or 16:9, 4:3, square")
    p.add_argument("--scale", type=float, default=1.0, help="pixel scale: 2 gives 3840x2160 from 1920x1080")
    p.add_argument("--format", default="png,svg,pdf", help="comma-separated: png, svg, pdf")


def loaded(args: argparse.Namespace):
    """Load and validate the repository named by ``--root``; raises DataError listing every problem."""
    from . import load, validate

    atlas = load(args.root)
    validate(atlas)
    return atlas


def out_dir(args: argparse.Namespace, *parts: str) -> Path:
    if args.out is not None:
        return Path(args.out)
    root = Path(args.root) if args.root else Path.cwd()
    return root.joinpath(MAPS_DIR, *parts)


def cmd_validate(args: argparse.Namespace) -> int:
    atlas = loaded(args)
    print(f"OK: {len(atlas.corridors)} corridors, {len(atlas.segments)} segments, {len(atlas.nodes)} nodes, "
          f"{len(atlas.volumes)} volumes, {len(atlas.agreements)} agreements, {len(atlas.sources)} sources; "
          "no problems")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from .info import info_text

    print(info_text(loaded(args), fmt=args.format), end="")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export
    from .join import join

    written = export(join(loaded(args)), out_dir(args, "gis"))
    print(f"wrote {len(written)} files to {written[0].parent}")
    return 0


def _progress(message: str) -> None:
    """A build's progress line; a checkpoint for an interrupt that was swallowed where it landed."""
    check_interrupted()
    print(message, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    start = time.perf_counter()
    written = build(args.root, out_dir(args), cdn=args.cdn, progress=_progress)
    print(f"built {len(written)} files in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_slides(args: argparse.Namespace) -> int:
    from .join import join
    from .render.slides import FORMATS, parse_size, render_slides

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(f"Error: --format: expected some of {', '.join(FORMATS)}, found {args.format!r}", file=sys.stderr)
        return 2
    try:
        size = parse_size(args.size)
    except ValueError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    atlas = loaded(args)
    corridors: list[str | None] | None = [None if c == "atlas" else c for c in args.corridor] if args.corridor else None
    unknown = [c for c in corridors or [] if c is not None and c not in atlas.corridor_ids()]
    if unknown:
        print(f"Error: --corridor: expected one of atlas, {', '.join(atlas.corridor_ids())}, found {unknown[0]!r}",
              file=sys.stderr)
        return 2
    written = render_slides(join(atlas), out_dir(args, "slides"), corridors=corridors, size=size,
                            scale=args.scale, formats=formats)
    print(f"wrote {len(written)} files to {written[0].parent}")
    return 0


def opt_route(p: argparse.ArgumentParser) -> None:
    p.add_argument("start", metavar="FROM", help="node id (or name) of geo/nodes.csv, e.g. dostyk")
    p.add_argument("end", metavar="TO", help="node id (or name), e.g. malaszewicze")
    p.add_argument("--via", action="append", default=[], metavar="NODE",
                   help="a node the route must pass (repeatable, in order; or comma-separated)")
    p.add_argument("--avoid", default="", metavar="ISO3,...", help="countries the route must never cross")
    p.add_argument("--status", choices=("operating", "construction", "all"), default="operating",
                   help="operating: legs that work today; construction: + being built; all: + planned, proposed")
    p.add_argument("--alternatives", type=int, default=2, metavar="K",
                   help="up to K distinct alternatives after the best (default 2)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")


def opt_compare(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", nargs="?", metavar="ID", help="one scenario id of routes/scenarios.csv (default: all)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")


def router_of(args: argparse.Namespace):
    from .join import join
    from .network import Router, build_network, parameters_of

    atlas = loaded(args)
    return Router(build_network(join(atlas)), parameters_of(atlas)), atlas


def commas(values: list[str] | str) -> list[str]:
    items = values if isinstance(values, list) else [values]
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def cmd_route(args: argparse.Namespace) -> int:
    from .network import RouteError
    from .network.report import routes_text

    router, _ = router_of(args)
    try:
        q = router.query(args.start, args.end, via=commas(args.via), avoid=commas(args.avoid), status=args.status,
                         alternatives=args.alternatives)
        routes = router.routes(q)
    except RouteError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    print(routes_text(router, q, routes, args.format), end="")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .network import RouteError
    from .network.report import comparisons_text
    from .network.scenarios import compare, scenarios_of

    router, atlas = router_of(args)
    try:
        comparisons = compare(router, scenarios_of(atlas), args.scenario)
    except RouteError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    print(comparisons_text(router, comparisons, args.format), end="")
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from .facts import facts_text

    print(facts_text(loaded(args), corridor=args.corridor, country=args.country, metric=args.metric,
                     fmt=args.format), end="")
    return 0


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str, str, list]] = {
    "validate": (cmd_validate, "check all data in geo/ and routes/, listing every problem (exit 1 if any)",
                 "corridormap validate", []),
    "info": (cmd_info, "corridors with geodesic length, km by mode (own line, feeders) and per country, "
                       "segment counts by status", "corridormap info --format csv", [opt_info]),
    "export": (cmd_export, "write GIS files: maps/gis/<corridor>.geojson, corridors.geojson, corridormap.gpkg",
               "corridormap export --out /tmp/gis", [opt_out("maps/gis")]),
    "build": (cmd_build, "the main job: validate, then write every output into maps/",
              "corridormap build", [opt_out("maps"), opt_cdn]),
    "slides": (cmd_slides, "static slide images (PNG, SVG, PDF) of the atlas and each corridor",
               "corridormap slides --corridor btc --size 1920x1080 --scale 2 --format png",
               [opt_out("maps/slides"), opt_slides]),
    "facts": (cmd_facts, "volume and agreement rows with their sources, filtered",
              "corridormap facts --corridor btc --format table", [opt_facts]),
    "route": (cmd_route, "the fastest route between two nodes (days as a cited range), then distinct alternatives",
              "corridormap route baku kars --status all --avoid ARM --alternatives 2", [opt_route]),
    "compare": (cmd_compare, "the scenarios of routes/scenarios.csv, their alternatives side by side",
                "corridormap compare china_eu --format table", [opt_compare]),
}
