"""HTML for popups, tooltips, panels and the legend. Every value from the data is escaped here (markupsafe)."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup, escape

from .. import facts, style
from .charts import bar_chart_svg

UNIT_SCALE = {"t": (1e6, "Mt"), "USD": (1e6, "million USD"), "m3": (1e9, "bcm"), "m3/year": (1e9, "bcm/year"),
              "t/year": (1e6, "Mt/year"), "bbl/day": (1e6, "million bbl/day"), "bbl": (1e6, "million bbl")}
QUALIFIER_TEXT = {"exact": "", "approx": "about ", "more_than": "more than ", "less_than": "less than ",
                  "target": "target ", "planned": "planned "}


def value_text(value: float, unit: str, qualifier: str = "exact") -> str:
    """``about 4.5 Mt``, ``$1.2 bn``, ``25 %``.

    >>> value_text(4.5e6, "t", "approx"), value_text(1.2e9, "USD"), value_text(25, "%", "target")
    ('about 4.5 Mt', '$1.2 bn', 'target 25 %')
    """
    prefix = QUALIFIER_TEXT.get(qualifier, "")
    if unit == "USD":
        return prefix + style.money(value)
    if unit in UNIT_SCALE and abs(value) >= UNIT_SCALE[unit][0] / 10:
        scale, label = UNIT_SCALE[unit]
        return f"{prefix}{value / scale:.3g} {label}"
    return f"{prefix}{value:,.6g} {unit}"


def rows_html(pairs: list[tuple[str, object]]) -> Markup:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in pairs if v not in ("", None))
    return Markup(f'<table class="cm-table">{cells}</table>')


def source_html(source_id: str, sources: pd.DataFrame) -> Markup:
    """The source's title linked to its (validated http/https) URL, else its title, else its id."""
    row = sources[sources["id"] == source_id]
    if not len(row):
        return Markup(escape(source_id))
    return link_html(row["title"].iloc[0] or source_id, row["url"].iloc[0])


def link_html(title: str, url: str) -> Markup:
    """*title* linked to *url* when it is http(s) (validation rejects other schemes; this is the second guard).

    >>> link_html("<T>", "javascript:alert(1)")
    Markup('&lt;T&gt;')
    >>> print(link_html("T", "https://e.org/?a=1&b=2"))
    <a href="https://e.org/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">T</a>
    """
    if url.startswith(("https://", "http://")):
        return Markup(f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(title)}</a>')
    return Markup(escape(title))


def status_label(status: str) -> str:
    """``under construction`` for ``construction``; unknown statuses as they are."""
    return style.STATUS[status]["label"] if status in style.STATUS else status


def segment_html(seg: pd.Series, corridor_names: dict[str, str], node_names: dict[str, str]) -> Markup:
    """Popup of a segment: name, the corridors drawing it, from → to, mode, status, length, countries, source."""
    ends = f"{node_names.get(seg['from'], seg['from'])} → {node_names.get(seg['to'], seg['to'])}"
    part_of = ", ".join(corridor_names.get(c, c) for c in seg["corridors"].split(";") if c)
    table = rows_html([("Part of", part_of), ("From → to", ends), ("Mode", seg["mode"]),
                       ("Status", status_label(seg["status"])),
                       ("Length", f"{seg['length_km']:,.1f} km"), ("Countries (km)", seg["km_by_country"]),
                       ("Via", seg["via"]), ("Accuracy", seg["accuracy"]), ("Source", seg["source"]),
                       ("Licence", seg.get("licence", "")), ("Note", seg["note"])])
    return Markup(f'<div class="cm-pop"><h4>{escape(seg["name"])}</h4>{table}</div>')


def segment_tip(seg: pd.Series) -> Markup:
    status = status_label(seg["status"])
    return Markup(f"<b>{escape(seg['name'])}</b> ({escape(status)}, {seg['length_km']:,.0f} km)")


def about(r: pd.Series, corridor: str) -> str:
    """``cargo, 2024``; a row about one segment or an included corridor says which: ``oil, 2023 (aktau_sangachal)``,
    ``cargo, 2024 (titr)``.

    >>> about(pd.Series({"subject": "btc/aktau_sangachal", "metric": "oil", "period": "2023"}), "btc")
    'oil, 2023 (aktau_sangachal)'
    """
    subject = r["subject"]
    what = f"{r['metric'].replace('_', ' ')}, {r['period']}"
    if subject == corridor:
        return what
    return f"{what} ({subject.removeprefix(corridor + '/')})"


def volume_items(latest: pd.DataFrame, sources: pd.DataFrame, corridor: str, limit: int = 12) -> Markup:
    """The latest rows, at most *limit* (a bulk table can give many rows for one period) and how many more."""
    items = [f"<li><b>{escape(value_text(float(r['value']), r['unit'], r['qualifier']))}</b> "
             f"{escape(about(r, corridor))} "
             f"<span class=\"cm-src\">({source_html(r['source'], sources)})</span></li>"
             for _, r in latest.tail(limit).iterrows()]
    more = f"<li>… and {len(latest) - limit:,} more</li>" if len(latest) > limit else ""
    return Markup("<ul>" + "".join(items) + more + "</ul>") if items else Markup("")


def agreement_items(agreements: pd.DataFrame, limit: int = 12) -> Markup:
    ordered = agreements.sort_values("date")
    items = [f"<li>{escape(a['date'])}: {escape(a['title'])}</li>" for _, a in ordered.head(limit).iterrows()]
    more = f"<li>… and {len(ordered) - limit} more</li>" if len(ordered) > limit else ""
    return Markup("<ul>" + "".join(items) + more + "</ul>") if items else Markup("")


def volume_chart(volumes: pd.DataFrame, corridor: str, color: str) -> Markup:
    """Bars of the corridor's tonnage by period (:func:`facts.chart_rows`), observed values only."""
    rows = facts.chart_rows(volumes, corridor)
    if len(rows) < 2:
        return Markup("")
    bars = [(r["period"], float(r["value"]) / 1e6, f"{r['period']}: {value_text(float(r['value']), 't')} "
             f"({r['source']})") for _, r in rows.iterrows()]
    metric = rows["metric"].iloc[-1]
    return bar_chart_svg(bars, title=f"{metric.capitalize()} by period", unit_label="Mt", color=color)


def corridor_html(corridor: pd.Series, cf, sources: pd.DataFrame) -> Markup:
    """The corridor block (appended to each of its segment popups, and the per-corridor panel)."""
    parts = [f'<div class="cm-corridor"><h4>{escape(corridor["name"])}</h4>',
             f"<p>{escape(corridor['description'])}</p>",
             str(rows_html([("Length", f"{corridor['length_km']:,.0f} km (geodesic, as traced)"),
                            ("Countries (km)", corridor["km_by_country"]), ("Segments", corridor["by_status"])]))]
    if len(cf.latest):
        parts.append(f"<h5>Latest volumes</h5>{volume_items(cf.latest, sources, corridor['id'])}")
    parts.append(str(volume_chart(cf.volumes, corridor["id"], corridor["color"])))
    if len(cf.agreements):
        parts.append(f"<h5>Agreements ({len(cf.agreements)})</h5>{agreement_items(cf.agreements)}")
    if len(cf.related):
        parts.append(f"<p class=\"cm-src\">{len(cf.related)} more agreements between countries it crosses "
                     "(see the Agreements layer)</p>")
    parts.append("</div>")
    return Markup("".join(parts))


def node_html(node: pd.Series) -> Markup:
    table = rows_html([("Kind", node["kind"].replace("_", " ")), ("Country", node["iso3"]),
                       ("Position", f"{node['lat']:.4f}° N, {node['lon']:.4f}° E"),
                       ("GeoNames", node["geonameid"]), ("Coordinate source", node["source"])])
    return Markup(f'<div class="cm-pop"><h4>{escape(node["name"])}</h4>{table}</div>')


def agreement_html(a: pd.Series, node_names: dict[str, str], sources: pd.DataFrame) -> Markup:
    place = node_names.get(a["place"], a["place"]) if a["place"] else f"({a['located_at']})"
    table = rows_html([("Date", a["date"]), ("Kind", a["kind"].replace("_", " ")),
                       ("Parties", a["parties"].replace(";", ", ")), ("Place", place),
                       ("Corridors", a["corridors"].replace(";", ", ")), ("Note", a["note"])])
    quote = f'<blockquote>“{escape(a["quote"])}”</blockquote>' if a["quote"] else ""
    return Markup(f'<div class="cm-pop"><h4>{escape(a["title"])}</h4>{table}{quote}'
                  f'<p class="cm-src">Source: {source_html(a["source"], sources)}</p></div>')


def country_html(c: pd.Series, sources: pd.DataFrame) -> Markup:
    usd = c["turnover_aze_usd"]
    if usd is None or pd.isna(usd):
        turnover = "no figure in the sources"
    else:
        turnover = f"{style.money(usd)} ({c['turnover_aze_period']})"
    src = source_html(c["turnover_aze_source"], sources) if isinstance(c["turnover_aze_source"], str) else ""
    table = rows_html([("Trade turnover with Azerbaijan", turnover), ("Agreements", c["agreements"] or ""),
                       ("By year", c["agreements_by_year"])])
    return Markup(f'<div class="cm-pop"><h4>{escape(c["name"])}</h4>{table}'
                  + (f'<p class="cm-src">Source: {src}</p>' if src else "") + "</div>")
