"""The furniture of the HTML maps: title (with the view presets), legend, year control and sources list. Each
collapses into a toggle at phone width (see ``static/corridormap.js``); every data value is escaped here."""

from __future__ import annotations

import folium
import pandas as pd
from markupsafe import Markup, escape

from .. import facts, style
from ..join import Layers, per_layers
from . import lines, popups
from .elements import Legend, Panel, YearControl

#: View presets of the atlas: label → (min lon, min lat, max lon, max lat); "all" is the corridors' bounds.
PRESETS = {"Caucasus–Caspian": (40.0, 38.0, 53.5, 44.0), "Central Asia": (51.0, 35.5, 83.0, 50.0)}


def as_of(layers: Layers) -> str:
    """The data's as-of date: the latest dated source or agreement."""
    dates = [d for d in [*layers.sources["date"], *layers.agreements["date"]] if d]
    return max(dates) if dates else "undated"


def presets_html(presets: dict) -> str:
    buttons = "".join(f'<button type="button" data-preset="{escape(key)}">{escape(key)}</button>' for key in presets)
    return f'<div class="cm-presets" role="group" aria-label="Views">{buttons}</div>'


def add_title(m: folium.Map, layers: Layers, title: str, subtitle: str, *, presets: dict | None = None) -> None:
    html = (f'<h1>{escape(title)}</h1><p>{escape(subtitle)}</p>'
            f'<p class="cm-src">Data as of {escape(as_of(layers))} · <a href="index.html">all maps</a></p>')
    if presets:
        html += presets_html(presets)
    Panel(Markup(html), position="topleft", css_class="cm-panel cm-title", label=title).add_to(m)


def swatch(color: str, *, dash: str | None = None, weight: float = 3, casing: str | None = None,
           circle: bool = False) -> str:
    if circle:
        return (f'<svg width="26" height="12" aria-hidden="true"><circle cx="13" cy="6" r="5" fill="{escape(color)}" '
                'stroke="#fff"/></svg>')
    case = (f'<line x1="2" y1="6" x2="24" y2="6" stroke="{escape(casing)}" stroke-width="{weight + 2}" '
            'stroke-linecap="round"/>' if casing else "")
    dash_attr = f' stroke-dasharray="{escape(dash)}"' if dash else ""
    return (f'<svg width="26" height="12" aria-hidden="true"><rect width="26" height="12" fill="{style.LAND}"/>'
            f'{case}<line x1="2" y1="6" x2="24" y2="6" stroke="{escape(color)}" stroke-width="{weight}"{dash_attr}/>'
            '</svg>')


def drawn(layers: Layers, corridor_ids: list[str]) -> tuple[set[str], set[str], bool]:
    """Statuses and modes the given corridors draw, and whether any of them has a tonnage (width by volume)."""
    members = pd.concat([layers.members[c] for c in corridor_ids])
    tonnage = any(lines.latest_tonnes(layers, c) for c in corridor_ids)
    return set(members["status"]), set(members["mode"]), tonnage


def legend_html(layers: Layers, corridor_ids: list[str], *, trade: bool, corridors_listed: bool) -> str:
    """The legend of a page: only the statuses, modes and widths it draws."""
    statuses, modes, tonnage = drawn(layers, corridor_ids)
    rows = []
    if corridors_listed:
        rows.append("<h5>Corridors</h5>")
        rows += [f'<div data-layer="{escape(cid)}">{swatch(layers.corridor(cid)["color"], weight=4)}'
                 f'{escape(layers.corridor(cid)["name"])}</div>' for cid in corridor_ids]
    rows.append('<h5>Status · mode</h5><section class="cm-grid">')
    rows += [f'<div>{swatch("#444444", dash=s["dash"])}{escape(s["label"])}</div>'
             for key, s in style.STATUS.items() if key in statuses]
    rows += [f'<div>{swatch("#444444", weight=lines.weight(key), casing=m["casing"])}{escape(m["label"])}</div>'
             for key, m in style.MODE.items() if key in modes]
    rows.append("</section>")
    if tonnage:
        rows.append('<h5>Line width: latest annual tonnage</h5><section class="cm-grid">')
        rows += [f'<div>{swatch("#444444", weight=lines.weight("rail", t))}{t / 1e6:g} Mt</div>'
                 for t in style.WIDTH_EXAMPLES]
        rows.append("</section>")
    rows.append('<div class="cm-src">Shared track: one line per corridor, side by side</div>'
                if len(corridor_ids) > 1 else "")
    rows.append(f'<div data-layer="nodes">{swatch(style.NODE_COLORS["port"], circle=True)}port / terminal / '
                'border crossing</div>')
    rows.append(f'<div data-layer="agreements">{swatch(style.AGREEMENT_COLOR, circle=True)}agreements at a place '
                "(number)</div>")
    rows.append('<div class="cm-src" data-layer="agreements">an agreement with no place: its first party\'s '
                "capital</div>")
    if trade:
        rows.append('<h5 data-layer="trade">Trade turnover with Azerbaijan</h5>')
        rows += [f'<div data-layer="trade">{swatch(color, circle=True)}{escape(label)}</div>'
                 for color, label in style.trade_legend()]
    rows.append(sources_html(layers))
    return "".join(rows)


@per_layers
def sources_html(layers: Layers) -> str:
    """Every source, linked, as a collapsed list (the same on every page: computed once per Layers)."""
    items = "".join(f"<li>{popups.link_html(s['title'] or s['id'], s['url'])}"
                    f"{escape(', ' + s['publisher']) if s['publisher'] else ''}"
                    f"{escape(', ' + s['date']) if s['date'] else ''}</li>"
                    for s in layers.sources.to_dict("records"))
    return (f"<details><summary>Sources ({len(layers.sources)}) and base map</summary><ol>{items}</ol>"
            "<p>Base map and place names: Natural Earth (public domain), via world-atlas. Online base (optional): "
            f"© OpenStreetMap contributors. {escape(style.licence_credits(layers.segments['licence']))}</p>"
            "</details>")


def add_legend(m: folium.Map, layers: Layers, keyed: list[tuple[str, folium.map.Layer]], html: str, *,
               position: str = "topleft") -> None:
    Legend(html, keyed, position=position).add_to(m)


def add_year_control(m: folium.Map, layers: Layers, agreements, corridors: list) -> None:
    years = [int(y) for y in layers.agreements["year"]] or [2000]
    first = min(years)
    last = max(years + [y for y in [facts.last_year(layers.volumes)] if y is not None])
    YearControl(agreements, corridors, first, last, lines.CASING_EXTRA).add_to(m)
