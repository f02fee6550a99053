"""Static slide images (PNG, SVG, PDF) drawn with matplotlib from the same layers and style table as the HTML.

No browser, no network. A Lambert conformal conic projection centred on the frame (not Web Mercator); the frame
fits the corridor's bounds with margins; node labels are placed greedily so they never overlap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402
from shapely.geometry import box  # noqa: E402

from .. import style  # noqa: E402
from .._io import atomic_path  # noqa: E402
from ..join import Layers, headline  # noqa: E402
from .popups import about, value_text  # noqa: E402

DPI = 100
FORMATS = ("png", "svg", "pdf")
#: Named frame sizes in pixels at scale 1.
SIZES = {"16:9": (1920, 1080), "4:3": (1440, 1080), "square": (1080, 1080)}
#: Pixels → points at the figure's dpi (a Leaflet weight in px becomes a matplotlib linewidth in pt).
PX = 72 / DPI
LABEL_KINDS = ("port", "terminal", "border_crossing", "city", "junction", "station")
LABEL_OFFSETS = ((6, 4), (6, -12), (-6, 4), (-6, -12), (0, 8), (0, -16), (10, -4), (-10, -4))
MARGIN = 0.08

matplotlib.rcParams.update({"svg.hashsalt": "corridormap", "lines.scale_dashes": False,
                            "font.family": "DejaVu Sans", "pdf.compression": 6, "svg.fonttype": "none"})


def renderer_of(fig: Figure) -> RendererAgg:
    """The Agg renderer that lays text out (the backend is always Agg here)."""
    return cast(FigureCanvasAgg, fig.canvas).get_renderer()


def plain(text: str) -> str:
    r"""Data text as matplotlib draws it literally: ``$`` would start mathtext (``$1.2 bn`` … ``$3 m``).

    >>> plain("$1.2 bn and $3 m")
    '\\$1.2 bn and \\$3 m'
    """
    return text.replace("$", r"\$")


def lcc(bounds: Iterable[float]) -> str:
    """A Lambert conformal conic CRS centred on (minx, miny, maxx, maxy), standard parallels at 1/6 and 5/6."""
    x0, y0, x1, y1 = bounds
    span = max(y1 - y0, 1.0)
    return (f"+proj=lcc +lat_1={y0 + span / 6:.4f} +lat_2={y1 - span / 6:.4f} +lat_0={(y0 + y1) / 2:.4f} "
            f"+lon_0={(x0 + x1) / 2:.4f} +datum=WGS84 +units=m +no_defs")


def frame(bounds_m: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """*bounds_m* grown by the margin and widened or heightened to the axes' *aspect* (width / height)."""
    x0, y0, x1, y1 = bounds_m
    w, h = (x1 - x0) * (1 + 2 * MARGIN) or 1e5, (y1 - y0) * (1 + 2 * MARGIN) or 1e5
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def dashes(dash: str | None, scale: float) -> tuple | None:
    if not dash:
        return None
    return (0, tuple(float(v) * PX * scale for v in dash.split()))


def draw_lines(ax, members: gpd.GeoDataFrame, color: str, tonnes: float | None, scale: float) -> None:
    """Casings first, then the lines, styled exactly as in the HTML (style.line_style)."""
    for casing_pass in (True, False):
        for _, seg in members.iterrows():
            s = style.line_style(color, seg["status"], seg["mode"], tonnes)
            if casing_pass and not s.casing:
                continue
            xs, ys = seg.geometry.xy
            if casing_pass:
                ax.plot(xs, ys, color=s.casing, lw=(s.weight + style.CASING_EXTRA) * PX * scale,
                        solid_capstyle="round", alpha=0.9, zorder=3)
            else:
                ax.plot(xs, ys, color=s.color, lw=s.weight * PX * scale, alpha=s.opacity, zorder=4,
                        linestyle=dashes(s.dash, scale) or "solid", solid_capstyle="round")


def place_labels(fig: Figure, ax, points: list[tuple[float, float, str]], scale: float) -> int:
    """Label points greedily (in the given priority order) where the label overlaps no earlier one.

    Each label is laid out once; its candidate positions are that box shifted by the offsets (cheap arithmetic).
    """
    renderer = renderer_of(fig)
    frame_box = ax.get_window_extent(renderer)
    taken: list[Bbox] = []
    placed = 0
    for x, y, text in points:
        label = ax.annotate(plain(text), (x, y), xytext=(0, 0), textcoords="offset points", fontsize=11 * scale,
                            ha="left", zorder=6,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
        base = label.get_window_extent(renderer)
        for dx, dy in LABEL_OFFSETS:
            px, py = dx * scale * DPI / 72, dy * scale * DPI / 72
            left = base.x0 + (px if dx >= 0 else px - base.width)
            box_ = Bbox.from_bounds(left, base.y0 + py, base.width, base.height).expanded(1.04, 1.08)
            inside = frame_box.contains(box_.x0, box_.y0) and frame_box.contains(box_.x1, box_.y1)
            if inside and not any(box_.overlaps(t) for t in taken):
                label.xyann = (dx * scale, dy * scale)
                label.set_horizontalalignment("left" if dx >= 0 else "right")
                taken.append(box_)
                placed += 1
                break
        else:
            label.remove()
    return placed


def slide_nodes(layers: Layers, members: gpd.GeoDataFrame, crs: str, limit: int = 24) -> gpd.GeoDataFrame:
    """The nodes a slide marks: segment ends, ports and terminals first."""
    used = set(members["from"]) | set(members["to"])
    nodes = layers.nodes[layers.nodes["id"].isin(used)].copy()
    nodes["rank"] = nodes["kind"].map(lambda k: LABEL_KINDS.index(k) if k in LABEL_KINDS else 9)
    return nodes.sort_values(["rank", "id"]).head(limit).to_crs(crs)


def legend_handles(color_by_name: dict[str, str], statuses: set[str], modes: set[str]) -> list[Line2D]:
    handles = [Line2D([], [], color=c, lw=4, label=plain(n)) for n, c in color_by_name.items()]
    for status in style.STATUS:
        if status in statuses:
            s = style.STATUS[status]
            handles.append(Line2D([], [], color="#444444", lw=3 * PX * 1.5, label=s["label"],
                                  linestyle=dashes(s["dash"], 1.5) or "solid"))
    for mode in style.MODE:
        m = style.MODE[mode]
        if mode in modes and m["casing"]:
            halo = patheffects.withStroke(linewidth=(m["weight"] + style.CASING_EXTRA) * PX * 1.5,
                                          foreground=m["casing"])
            handles.append(Line2D([], [], color="#444444", lw=m["weight"] * PX * 1.5, label=m["label"],
                                  path_effects=[halo, patheffects.Normal()]))
    return handles


def figure_line(r: pd.Series, corridor: str, prefix: str = "") -> str:
    return f"{prefix}{value_text(float(r['value']), r['unit'], r['qualifier'])} {about(r, corridor)} [{r['source']}]"


def key_figures(layers: Layers, cids: list[str], limit: int = 7) -> list[str]:
    """A corridor's latest volumes; for the atlas, each corridor's headline (tonnage first)."""
    if len(cids) == 1:
        return [figure_line(r, cids[0]) for _, r in layers.facts[cids[0]].latest.tail(limit).iterrows()]
    names = layers.corridors.set_index("id")["name"]
    lines = []
    for cid in cids:
        top = headline(layers.facts[cid], cid)
        if top is not None:
            lines.append(figure_line(top, cid, f"{short_name(names[cid])}: "))
    return lines[:limit + 3]


def short_name(name: str) -> str:
    """A label: the name without its parenthesis (``Alat (Port of Baku …)`` → ``Alat``)."""
    return name.split(" (")[0].strip()


def source_line(layers: Layers, source_ids: set[str], route_sources: set[str], limit: int = 420) -> str:
    """The sources of the figures shown (by publisher, title, year) and of the route geometry, shortened."""
    names = [f"{s['publisher'] or s['author']} ({s['date'][:4]})" if s["date"] else s["publisher"] or s["id"]
             for _, s in layers.sources.iterrows() if s["id"] in source_ids]
    text = "Figures: " + "; ".join(dict.fromkeys(names)) + ". " if names else ""
    text += "Routes: " + "; ".join(sorted(route_sources))
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text + " Base map: Natural Earth (public domain). Lengths geodesic, as traced."


def slide_figure(layers: Layers, cid: str | None = None, *, size: tuple[int, int] = SIZES["16:9"],
                 scale: float = 1.0) -> Figure:
    """One slide: the atlas (*cid* None) or a corridor, framed, styled, labelled, with legend and key figures."""
    cids = [cid] if cid else list(layers.corridors["id"])
    info = layers.corridors.set_index("id")
    members = pd.concat([layers.members[c] for c in cids])
    members = gpd.GeoDataFrame(members, geometry="geometry", crs="EPSG:4326")
    crs = lcc(members.total_bounds)
    # A quarter pixel in degrees before projecting: very detailed lines cost nothing, nothing visible changes.
    span = max(members.total_bounds[2] - members.total_bounds[0], members.total_bounds[3] - members.total_bounds[1])
    members = members.assign(geometry=members.geometry.simplify(span / (size[0] * scale) / 4))
    projected = members.to_crs(crs)
    w, h = size[0] * scale, size[1] * scale
    fig = plt.figure(figsize=(w / DPI, h / DPI), dpi=DPI)
    ax = fig.add_axes((0.015, 0.075, 0.70, 0.80))
    ax_w, ax_h = 0.70 * w, 0.80 * h
    x0, y0, x1, y1 = frame(tuple(projected.total_bounds), ax_w / ax_h)
    # Half a pixel of simplification: invisible, and keeps SVG/PDF small for very detailed lines.
    projected = projected.assign(geometry=projected.geometry.simplify((x1 - x0) / ax_w / 2))
    draw_base(ax, layers, crs, (x0, y0, x1, y1))
    for c in cids:
        part = projected[projected["layer"] == c]
        draw_lines(ax, part, info.loc[c, "color"], info.loc[c, "latest_tonnes"], scale)
    nodes = slide_nodes(layers, members, crs)
    ax.scatter(nodes.geometry.x, nodes.geometry.y, s=28 * scale ** 2, c=[style.NODE_COLORS.get(k, "#555555")
               for k in nodes["kind"]], edgecolors="white", linewidths=0.8 * scale, zorder=5)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    place_labels(fig, ax, [(g.x, g.y, short_name(n)) for g, n in zip(nodes.geometry, nodes["name"])], scale)
    title = info.loc[cid, "name"] if cid else "Eurasian transport corridors"
    subtitle = (f"{info.loc[cid, 'length_km']:,.0f} km as traced · {info.loc[cid, 'countries'].replace(';', ', ')}"
                if cid else "Middle Corridor, TITR, Lapis Lazuli, BTC, Zangezur and the routes beside them")
    fig.text(0.015, 0.955, plain(title), fontsize=30 * scale, fontweight="bold", va="center")
    fig.text(0.015, 0.905, plain(subtitle), fontsize=16 * scale, color="#444444", va="center")
    draw_side(fig, layers, cids, members, scale)
    figures = {s for c in cids for s in layers.facts[c].latest["source"]}
    fig.text(0.015, 0.035, plain(textwrap.fill(source_line(layers, figures, set(members["source"])), 250)),
             fontsize=9 * scale, color="#555555", va="center")
    return fig


def draw_base(ax, layers: Layers, crs: str, bounds: tuple[float, float, float, float]) -> None:
    ax.set_facecolor(style.SEA)
    view = gpd.GeoDataFrame(geometry=[box(*bounds)], crs=crs).to_crs("EPSG:4326").total_bounds
    pad = 3.0
    window = box(view[0] - pad, view[1] - pad, view[2] + pad, view[3] + pad)
    # Clipped (in lon/lat, where the polygons are valid) to the frame plus a margin: no slide carries all of
    # Russia's or China's outline.
    near = layers.countries.clip(window)
    near.to_crs(crs).plot(ax=ax, facecolor=style.LAND, edgecolor=style.BORDER, linewidth=0.6, zorder=1)


def draw_side(fig: Figure, layers: Layers, cids: list[str], members: pd.DataFrame, scale: float) -> None:
    info = layers.corridors.set_index("id")
    names = {info.loc[c, "name"]: info.loc[c, "color"] for c in cids}
    handles = legend_handles(names, set(members["status"]), set(members["mode"]))
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.73, 0.875), frameon=False,
                        fontsize=11 * scale, title="Legend", title_fontsize=13 * scale, alignment="left",
                        handlelength=3)
    bottom = legend.get_window_extent(renderer_of(fig)).transformed(fig.transFigure.inverted()).y0
    figures = key_figures(layers, cids) or ["No observed volume in the sources yet."]
    text = "Key figures\n" + "\n".join(textwrap.fill(line, 50, subsequent_indent="  ") for line in figures)
    fig.text(0.735, min(0.52, bottom - 0.03), plain(text), fontsize=10.5 * scale, va="top", linespacing=1.45,
             bbox={"boxstyle": "round,pad=0.6", "fc": "#f7f7f4", "ec": "#cccccc"})
    if len(cids) == 1:
        about = textwrap.fill(info.loc[cids[0], "description"], 58, break_long_words=False)
        fig.text(0.735, 0.16, plain(about), fontsize=10 * scale, va="bottom", color="#333333", linespacing=1.35)


def save_figure(fig: Figure, path: Path) -> Path:
    """Save atomically with fixed metadata, so the same data gives byte-identical files."""
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}}
    fmt = path.suffix[1:]
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=DPI, metadata=metadata[fmt])
    return path


def render_slides(layers: Layers, out: str | Path = "maps/slides", *, corridors: list[str | None] | None = None,
                  size: tuple[int, int] = SIZES["16:9"], scale: float = 1.0,
                  formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write ``atlas.<fmt>`` and ``<corridor>.<fmt>`` for every corridor (or those given); returns the paths."""
    out = Path(out)
    targets: list[str | None] = [None, *layers.corridors["id"]] if corridors is None else list(corridors)
    written = []
    for cid in targets:
        fig = slide_figure(layers, cid, size=size, scale=scale)
        try:
            for fmt in formats:
                written.append(save_figure(fig, out / f"{cid or 'atlas'}.{fmt}"))
        finally:
            plt.close(fig)
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


