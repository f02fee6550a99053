"""What a slide shows, before any layout: :class:`SlideContent`, and the content of the atlas and corridor slides.

:class:`SlideContent` is the scene API for any set of highlighted lines: a corridor, the atlas, or a route
comparison builds one and passes it to :func:`~corridormap.render.slides.compose.compose_scene`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ... import style
from ...join import Layers, headline
from ..popups import FIGURE_COLUMNS, Row, about, records, value_text
from .labels import short_name

#: The columns of :attr:`SlideContent.lines` (``tonnes``, ``from``, ``to`` and ``source`` may be empty).
LINE_COLUMNS = ("group", "color", "status", "mode", "tonnes", "from", "to", "source", "geometry")


@dataclass
class SlideContent:
    """Everything a slide says, in data terms; :func:`compose_scene` lays it out.

    Parameters
    ----------
    title, subtitle
        The slide's heading lines.
    lines
        The highlighted lines, a GeoDataFrame in EPSG:4326 of LineStrings with the columns :data:`LINE_COLUMNS`:
        ``group`` (the legend entry the line belongs to, drawn in ``color``), ``status`` and ``mode`` (the
        style table's dash, weight and casing), ``tonnes`` (a yearly volume that widens the line, or NaN),
        ``from`` and ``to`` (node ids from ``geo/nodes.csv`` marked and labelled on the map, or empty) and
        ``source`` (the geometry's source, for the sources line). Groups are drawn in order of first appearance.
    figures
        The lines of the side box under *figures_title* (already worded, with their source ids).
    about
        A paragraph under the box (a corridor's description), or None.
    sources
        The sources line at the foot of the slide.
    countries
        ISO3 codes of the countries to emphasise and name prominently; None: the countries the lines cross.
    locator
        Whether to draw the locator inset; None: when the frame is smaller than the atlas's.
    """

    title: str
    subtitle: str
    lines: gpd.GeoDataFrame
    figures: list[str]
    sources: str
    about: str | None = None
    figures_title: str = "Key figures"
    countries: list[str] | None = None
    locator: bool | None = None

    @property
    def legend(self) -> dict[str, str]:
        """Legend entry name → colour, in order of first appearance."""
        return dict(zip(self.lines["group"], self.lines["color"]))


def corridor_content(layers: Layers, cid: str | None) -> SlideContent:
    """The atlas slide (*cid* None: every corridor) or one corridor's slide."""
    cids = [cid] if cid else list(layers.corridors["id"])
    parts = []
    for c in cids:
        row = layers.corridor(c)
        m = layers.members[c]
        # only the columns a slide reads: concatenating all of them (Arrow text) cost more than the rest
        m = m[[col for col in (*LINE_COLUMNS, "licence") if col in m.columns]]
        parts.append(m.assign(group=row["name"], color=row["color"], tonnes=row["latest_tonnes"]))
    members = gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs="EPSG:4326")
    corridor = layers.corridor(cid) if cid else None
    figures = {s for c in cids for s in layers.facts[c].latest["source"]}
    if corridor is None or cid is None:
        return SlideContent("Eurasian transport corridors",
                            "Middle Corridor, TITR, Lapis Lazuli, BTC, Zangezur and the routes beside them",
                            members[list(LINE_COLUMNS)], key_figures(layers, cids),
                            sources_text(layers, figures, members),
                            countries=sorted({i for c in layers.corridors["countries"] for i in c.split(";") if i}),
                            locator=False)
    return SlideContent(corridor["name"], corridor_subtitle(layers, corridor, layers.members[cid]),
                        members[list(LINE_COLUMNS)], key_figures(layers, cids), sources_text(layers, figures, members),
                        about=corridor["description"],
                        countries=[i for i in corridor["countries"].split(";") if i])


def corridor_subtitle(layers: Layers, corridor: pd.Series, members: pd.DataFrame) -> str:
    """``2,106 km as traced (pipeline 1,621.4 km + sea feeder 484.5 km) · Turkey, Azerbaijan, Georgia, …``:
    a single-mode corridor's own line apart from the legs of other modes that feed it (as ``corridormap info``),
    and the countries crossed by name."""
    names = dict(zip(layers.countries["iso3"], layers.countries["name"]))
    countries = ", ".join(names.get(i, i) for i in corridor["countries"].split(";") if i)
    text = f"{corridor['length_km']:,.0f} km as traced"
    kind = corridor["kind"]
    km = members.groupby("mode", sort=False)["length_km"].sum()
    if kind in km.index and len(km) > 1:
        feeders = " + ".join(f"{mode} feeder {v:,.1f} km" for mode, v in km.items() if mode != kind)
        text += f" ({kind} {km[kind]:,.1f} km + {feeders})"
    return f"{text} · {countries}"


def figure_line(r: Row, corridor: str, prefix: str = "") -> str:
    return f"{prefix}{value_text(float(r['value']), r['unit'], r['qualifier'])} {about(r, corridor)} [{r['source']}]"


def key_figures(layers: Layers, cids: list[str], limit: int = 7) -> list[str]:
    """A corridor's latest volumes; for the atlas, each corridor's headline (tonnage first)."""
    if len(cids) == 1:
        return [figure_line(r, cids[0]) for r in records(layers.facts[cids[0]].latest.tail(limit), FIGURE_COLUMNS)]
    lines = []
    for cid in cids:
        top = headline(layers.facts[cid], cid)
        if top is not None:
            lines.append(figure_line(top, cid, f"{short_name(layers.corridor(cid)['name'])}: "))
    return lines[:limit + 3]


def sources_text(layers: Layers, figures: set[str], members: pd.DataFrame) -> str:
    """The sources line and the credits the route geometry's licences ask for (``style.licence_credits``)."""
    credits = style.licence_credits(members["licence"]) if "licence" in members else ""
    return " ".join(filter(None, (source_line(layers, figures, set(members["source"])), credits)))


def source_line(layers: Layers, source_ids: set[str], route_sources: set[str], limit: int = 420) -> str:
    """The sources of the figures shown (by publisher, title, year) and of the route geometry, shortened."""
    names = [f"{s['publisher'] or s['author']} ({s['date'][:4]})" if s["date"] else s["publisher"] or s["id"]
             for s in layers.sources[layers.sources["id"].isin(source_ids)].to_dict("records")]
    text = "Figures: " + "; ".join(dict.fromkeys(names)) + ". " if names else ""
    text += "Routes: " + "; ".join(sorted(route_sources))
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text + " Base map: Natural Earth (public domain). Lengths geodesic, as traced."
