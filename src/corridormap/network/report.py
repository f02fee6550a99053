"""Routes and comparisons as text tables, CSV and JSON (what ``corridormap route`` and ``compare`` print)."""

from __future__ import annotations

import csv
import io
import json

from .params import Parameters
from .route import Query, Route, Router
from .scenarios import Comparison, Outcome

FORMATS = ("table", "json", "csv")


def days_text(route: Route) -> str:
    return f"{route.days.low:.1f}–{route.days.high:.1f}"


def flags_text(route: Route) -> str:
    return ", ".join(route.statuses) or "operating"


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    def line(cells):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def route_rows(routes: list[Route]) -> list[list[str]]:
    return [[str(i), r.name, f"{r.km:,.0f}", days_text(r), str(r.border_crossings), str(r.transshipments),
             " ".join(r.countries), flags_text(r)] for i, r in enumerate(routes, 1)]


ROUTE_HEADERS = ["#", "alternative", "km", "days", "borders", "transshipments", "countries", "status"]


def sources_text(params: Parameters, ids: set[str]) -> str:
    rows = params.sources(ids)
    lines = [f"  {r['id']}: {r['parameter']} {r['mode'] or ''} {r['iso3'] or ''} {r['applies_to'] or ''}".rstrip()
             + f" {r['low']}–{r['high']} {r['unit']} ({r['source']})" for _, r in rows.iterrows()]
    return "Times from routes/parameters.csv:\n" + "\n".join(lines) + "\n" if lines else ""


def routes_text(router: Router, q: Query, routes: list[Route], fmt: str) -> str:
    """*routes* for query *q* in *fmt* (``table``, ``json`` or ``csv``)."""
    if fmt == "json":
        return json.dumps({"from": q.start, "to": q.end, "alternatives": [r.as_dict() for r in routes]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return csv_text(["alternative", "name", "km", "days_low", "days_high", "border_crossings", "transshipments",
                         "countries", "flags", "segments"],
                        [[i, r.name, r.km, round(r.days.low, 1), round(r.days.high, 1), r.border_crossings,
                          r.transshipments, ";".join(r.countries), ";".join(r.statuses),
                          ";".join(leg.id for leg in r.legs)] for i, r in enumerate(routes, 1)])
    net = router.network
    head = f"{net.node_name(q.start)} ({q.start}) → {net.node_name(q.end)} ({q.end}), {q.describe()}\n\n"
    legs = "".join(f"\n{i}. {r.name}: " + " → ".join(f"{leg.id} ({leg.km:,.0f} km {leg.mode}"
                                                   + ("" if leg.status == "operating" else f", {leg.status}") + ")"
                                                   for leg in r.legs) + "\n" for i, r in enumerate(routes, 1))
    ids = {p for r in routes for p in r.parameters}
    return head + table(ROUTE_HEADERS, route_rows(routes), {0, 2, 4, 5}) + legs + "\n" + sources_text(
        router.params, ids)


def csv_text(headers: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()


def published_text(o: Outcome) -> str:
    a = o.alternative
    text = a.published_text()
    return f"{text} ({a.source})" if text else "none found"


def outcome_dict(o: Outcome) -> dict:
    a = o.alternative
    out: dict = {"id": a.id, "name": a.name, "from": a.start, "to": a.end, "via": list(a.via),
                 "avoid": list(a.avoid), "status": a.status}
    out["route"] = o.route.as_dict() if o.route else None
    if o.error:
        out["error"] = o.error
    out["published"] = {"days": list(a.published_days) if a.published_days else None, "km": a.published_km,
                        "span": a.published_span, "source": a.source, "quote": a.quote, "note": a.note}
    return out


def comparisons_text(router: Router, comparisons: list[Comparison], fmt: str) -> str:
    """The scenarios side by side in *fmt*."""
    if fmt == "json":
        return json.dumps({"scenarios": [{"id": c.scenario.id, "name": c.scenario.name, "from": c.scenario.start,
                                          "to": c.scenario.end, "alternatives": [outcome_dict(o) for o in c.outcomes],
                                          "parameters": c.parameter_ids()} for c in comparisons]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        rows = []
        for c in comparisons:
            for o in c.outcomes:
                r, a = o.route, o.alternative
                rows.append([c.scenario.id, a.id, a.name, a.start, a.end, *(
                    [r.km, round(r.days.low, 1), round(r.days.high, 1), r.border_crossings, r.transshipments,
                     ";".join(r.countries), ";".join(r.statuses), ";".join(leg.id for leg in r.legs)]
                    if r else ["", "", "", "", "", "", "", ""]),
                    a.published_days[0] if a.published_days else "", a.published_days[1] if a.published_days else "",
                    a.published_km or "", a.source, o.error])
        return csv_text(["scenario", "alternative", "name", "from", "to", "km", "days_low", "days_high",
                         "border_crossings", "transshipments", "countries", "flags", "segments",
                         "published_days_low", "published_days_high", "published_km", "source", "error"], rows)
    return "\n".join(comparison_table(router, c) for c in comparisons)


def comparison_table(router: Router, c: Comparison) -> str:
    s = c.scenario
    rows = []
    for o in c.outcomes:
        r = o.route
        if r is None:
            rows.append([o.alternative.name, "–", "–", "–", "–", "–", "no route", published_text(o)])
            continue
        rows.append([o.alternative.name, f"{r.km:,.0f}", days_text(r), str(r.border_crossings), str(r.transshipments),
                     " ".join(r.countries), flags_text(r), published_text(o)])
    text = f"{s.name} [{s.id}]\n" + table(["alternative", "km", "days", "borders", "transshipments", "countries",
                                           "status", "published"], rows, {1, 3, 4})
    errors = "".join(f"  {o.alternative.name}: {o.error}\n" for o in c.outcomes if o.error)
    return text + errors + sources_text(router.params, set(c.parameter_ids()))
