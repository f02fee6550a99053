"""HTML for popups, tooltips, panels and the legend. Every value from the data is escaped here (markupsafe)."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from .. import facts, style
from .charts import bar_chart_svg

UNIT_SCALE = {"t": (1e6, "Mt"), "USD": (1e6, "million USD"), "m3": (1e9, "bcm"), "m3/year": (1e9, "bcm/year"),
              "t/year": (1e6, "Mt/year"), "bbl/day": (1e6, "million bbl/day"), "bbl": (1e6, "million bbl")}
#: A table's row: a dict (:func:`records`) or a Series.
Row = Mapping[Hashable, Any] | pd.Series
#: The columns a figure's line reads (:func:`value_text`, :func:`about`, its source and quote).
FIGURE_COLUMNS = ("value", "unit", "qualifier", "subject", "metric", "period", "source", "quote")


def records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict]:
    """*frame*'s rows as dicts of those of *columns* it has (read column by column: ``iterrows`` builds a Series
    per row).

    >>> records(pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [0.5, 1.5]}), ["b", "a", "z"])
    [{'b': 'x', 'a': 1}, {'b': 'y', 'a': 2}]
    """
    return frame[[c for c in columns if c in frame.columns]].to_dict("records")


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


def source_html(source_id: str, sources: Mapping[str, Mapping]) -> Markup:
    """The source's title linked to its (validated http/https) URL, else its title, else its id; *sources* by id
    (:func:`corridormap.join.sources_by_id`)."""
    row = sources.get(source_id)
    if row is None:
        return Markup(escape(source_id))
    return link_html(row["title"] or source_id, row["url"])


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


def clean_quote(text: str) -> str:
    """A quote as a reader should see it: leftover Markdown links from the seed briefs reduced to their text
    (the data keeps the verbatim text, which the seed check compares).

    >>> clean_quote("Trade [amounted](#) to $1 bn, see [the report](https://e.org).")
    'Trade amounted to $1 bn, see the report.'
    """
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)


def countries_text(km_by_country: str, names: dict[str, str]) -> str:
    """``AZE 472.7; sea 3.1`` → ``Azerbaijan (AZE) 473 km; sea 3 km``.

    >>> countries_text("AZE 472.7; sea 3.1", {"AZE": "Azerbaijan"})
    'Azerbaijan (AZE) 473 km; sea 3 km'
    """
    parts = []
    for item in filter(None, (p.strip() for p in km_by_country.split(";"))):
        code, _, km = item.rpartition(" ")
        try:
            value = f"{float(km):,.0f} km"
        except ValueError:
            parts.append(item)
            continue
        parts.append(f"{names[code]} ({code}) {value}" if code in names else f"{code} {value}")
    return "; ".join(parts)


def folded(summary: str, body: str) -> str:
    """A ``<details>`` block, closed: sources and notes below the key facts. *body* is pre-escaped HTML."""
    return f"<details><summary>{escape(summary)}</summary>{body}</details>" if body else ""


def segment_html(seg: pd.Series, corridor_names: dict[str, str], node_names: dict[str, str],
                 country_names: dict[str, str] | None = None) -> Markup:
    """Popup of a segment: key facts first (status, length, countries, mode, ends, corridors), then its source,
    route and notes folded below."""
    ends = f"{node_names.get(seg['from'], seg['from'])} → {node_names.get(seg['to'], seg['to'])}"
    part_of = ", ".join(corridor_names.get(c, c) for c in seg["corridors"].split(";") if c)
    table = rows_html([("Status", status_label(seg["status"])), ("Length", f"{seg['length_km']:,.1f} km as traced"),
                       ("Countries", countries_text(seg["km_by_country"], country_names or {})),
                       ("Mode", seg["mode"]), ("From → to", ends), ("Part of", part_of)])
    more = rows_html([("Via", seg["via"]), ("Accuracy", seg["accuracy"]), ("Source", seg["source"]),
                      ("Licence", seg.get("licence", "")), ("Note", seg["note"])])
    return Markup(f'<div class="cm-pop"><h4>{escape(seg["name"])}</h4>{table}'
                  f'{folded("Route, source and notes", str(more))}</div>')


def segment_tip(seg: pd.Series) -> Markup:
    status = status_label(seg["status"])
    return Markup(f"<b>{escape(seg['name'])}</b> ({escape(status)}, {seg['length_km']:,.0f} km)")


def about(r: Row, corridor: str) -> str:
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


def volume_items(latest: pd.DataFrame, sources: Mapping[str, Mapping], corridor: str,
                 limit: int = 12) -> tuple[Markup, Markup]:
    """The latest figures (at most *limit*: a bulk table can give many rows for one period, and how many more)
    with numbered references, and the references (source and quote) to fold below."""
    refs: dict[str, int] = {}
    items, notes = [], []
    for r in records(latest.tail(limit), FIGURE_COLUMNS):
        number = refs.setdefault(r["source"], len(refs) + 1)
        items.append(f"<li><b>{escape(value_text(float(r['value']), r['unit'], r['qualifier']))}</b> "
                     f"{escape(about(r, corridor))} <sup>[{number}]</sup></li>")
        quote = f"<blockquote>“{escape(clean_quote(r['quote']))}”</blockquote>" if r.get("quote") else ""
        notes.append(f"<li value=\"{number}\">{source_html(r['source'], sources)}{quote}</li>")
    if not items:
        return Markup(""), Markup("")
    if len(latest) > limit:
        items.append(f"<li>… and {len(latest) - limit:,} more</li>")
    return Markup("<ul>" + "".join(items) + "</ul>"), Markup('<ol class="cm-list">' + "".join(notes) + "</ol>")


def agreement_items(agreements: pd.DataFrame, limit: int = 12) -> Markup:
    ordered = agreements.sort_values("date")
    items = [f"<li>{escape(a['date'])}: {escape(a['title'])}</li>"
             for a in records(ordered.head(limit), ("date", "title"))]
    more = f"<li>… and {len(ordered) - limit} more</li>" if len(ordered) > limit else ""
    return Markup("<ul>" + "".join(items) + more + "</ul>") if items else Markup("")


def volume_chart(volumes: pd.DataFrame, corridor: str, color: str) -> Markup:
    """Bars of the corridor's tonnage by period (:func:`facts.chart_rows`), observed values only."""
    rows = facts.chart_rows(volumes, corridor)
    if len(rows) < 2:
        return Markup("")
    bars = [(r["period"], float(r["value"]) / 1e6, f"{r['period']}: {value_text(float(r['value']), 't')} "
             f"({r['source']})") for r in records(rows, ("period", "value", "source"))]
    metric = rows["metric"].iloc[-1]
    return bar_chart_svg(bars, title=f"{metric.capitalize()} by period", unit_label="Mt", color=color)


def published_length(cf, corridor: str) -> str:
    """The corridor's published length (a ``length`` row about the corridor itself), with what it covers."""
    rows = cf.volumes[(cf.volumes["metric"] == "length") & (cf.volumes["subject"] == corridor)]
    if not len(rows):
        return ""
    r = rows.sort_values("period").iloc[-1]
    scope = re.split(r"[.;]", str(r["note"]))[0].strip() if r["note"] else ""
    return f"{value_text(float(r['value']), r['unit'], r['qualifier'])}" + (f" ({scope})" if scope else "")


def corridor_html(corridor: pd.Series, cf, sources: Mapping[str, Mapping],
                  country_names: dict[str, str] | None = None) -> Markup:
    """The corridor block (appended to each of its segment popups, and the per-corridor panel): key facts first
    (status, traced and published length, countries), then what it is, its figures and agreements; sources and
    quotes folded below."""
    parts = [f'<div class="cm-corridor"><h4>{escape(corridor["name"])}</h4>',
             str(rows_html([("Segments", corridor["by_status"]),
                            ("Length", f"{corridor['length_km']:,.0f} km as traced (geodesic)"),
                            ("Published", published_length(cf, corridor["id"])),
                            ("Countries", countries_text(corridor["km_by_country"], country_names or {}))])),
             f"<p>{escape(corridor['description'])}</p>"]
    items, notes = volume_items(cf.latest, sources, corridor["id"])
    if items:
        parts.append(f"<h5>Latest volumes</h5>{items}")
    parts.append(str(volume_chart(cf.volumes, corridor["id"], corridor["color"])))
    if len(cf.agreements):
        parts.append(f"<h5>Agreements ({len(cf.agreements)})</h5>{agreement_items(cf.agreements)}")
    if len(cf.related):
        parts.append(f"<p class=\"cm-src\">{len(cf.related)} more agreements between countries it crosses "
                     "(see the Agreements layer)</p>")
    parts.append(folded("Sources and quotes", str(notes)))
    parts.append("</div>")
    return Markup("".join(parts))


def node_html(node: pd.Series) -> Markup:
    table = rows_html([("Kind", node["kind"].replace("_", " ")), ("Country", node["iso3"]),
                       ("Position", f"{node['lat']:.4f}° N, {node['lon']:.4f}° E"),
                       ("GeoNames", node["geonameid"]), ("Coordinate source", node["source"])])
    return Markup(f'<div class="cm-pop"><h4>{escape(node["name"])}</h4>{table}</div>')


def agreement_html(a: pd.Series, node_names: dict[str, str], sources: Mapping[str, Mapping]) -> Markup:
    """An agreement's popup: its title over :func:`agreement_body`."""
    return Markup(f'<div class="cm-pop"><h4>{escape(a["title"])}</h4>{agreement_body(a, node_names, sources)}</div>')


def agreement_body(a: pd.Series, node_names: dict[str, str], sources: Mapping[str, Mapping]) -> Markup:
    """An agreement: date, kind, parties, place and corridors first; its source and quote (cleaned of leftover
    markup) folded below."""
    place = node_names.get(a["place"], a["place"]) if a["place"] else f"({a['located_at']})"
    table = rows_html([("Date", a["date"]), ("Kind", a["kind"].replace("_", " ")),
                       ("Parties", a["parties"].replace(";", ", ")), ("Place", place),
                       ("Corridors", a["corridors"].replace(";", ", ")), ("Note", a["note"])])
    quote = f'<blockquote>“{escape(clean_quote(a["quote"]))}”</blockquote>' if a["quote"] else ""
    source = f'<p class="cm-src">Source: {source_html(a["source"], sources)}</p>'
    return Markup(f'{table}{folded("Source and quote", quote + source)}')


def country_html(c: pd.Series, sources: Mapping[str, Mapping]) -> Markup:
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
