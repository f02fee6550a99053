"""``corridormap info``: each corridor's traced length, km per country (with the country's name), by mode (a
pipeline's own line apart from the tanker leg that feeds it), and its segments by status; as text, CSV or a
Markdown table."""

from __future__ import annotations

import csv
import io

from .load import Atlas
from .measure import FEEDER, OWN, SEA, Crossing, ModePart, corridor_measures, mode_parts, segment_measures

FORMATS = ("table", "csv", "markdown")


def country_names(atlas: Atlas) -> dict[str, str]:
    """ISO3 → the country's name in ``geo/countries.geojson``."""
    return dict(zip(atlas.countries["iso3"], atlas.countries["name"]))


def km_text(cross: Crossing, names: dict[str, str], digits: int = 1) -> str:
    """``TUR Turkey 970.1; sea 477.1; KAZ Kazakhstan 4.0`` (open sea stays ``sea``)."""
    return "; ".join(f"{k} {v:,.{digits}f}" if k == SEA else f"{k} {names.get(k, k)} {v:,.{digits}f}"
                     for k, v in cross.km.items())


def part_title(part: ModePart) -> str:
    """``pipeline``, ``+ feeder, sea``, ``rail``."""
    return f"+ feeder, {part.mode}" if part.role == FEEDER else part.mode


def segment_names(part: ModePart) -> str:
    """The part's segment names without their parentheses, once each."""
    return "; ".join(dict.fromkeys(n.split(" (")[0].strip() for n in part.names))


def info_text(atlas: Atlas, *, fmt: str = "table") -> str:
    """Every corridor of a (validated) *atlas*: total, by mode, by country, segments by status."""
    if fmt not in FORMATS:
        raise ValueError(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    segments = segment_measures(atlas)
    corridors = corridor_measures(atlas, segments)
    parts = mode_parts(atlas, segments)
    names = country_names(atlas)
    titles = dict(zip(atlas.corridors["id"], atlas.corridors["name"]))
    if fmt == "csv":
        return info_csv(corridors, parts, names)
    if fmt == "markdown":
        return info_markdown(corridors, parts, names, titles)
    lines = []
    for _, c in corridors.iterrows():
        cid = c["id"]
        lines.append(f"{cid} — {titles[cid]}")
        count = f"{c['segments']} segment{'s' if c['segments'] != 1 else ''}"
        lines.append(f"  {'total':<18} {c['length_km']:>9,.1f} km   {count}: {c['by_status']}")
        if len(parts[cid]) > 1:
            for p in parts[cid]:
                what = f"   · {segment_names(p)}" if p.role == FEEDER else ""
                lines.append(f"  {part_title(p):<18} {p.length_km:>9,.1f} km   {km_text(p.crossing, names)}{what}")
        lines.append(f"  {'countries (km)':<18} {km_text(total(parts[cid]), names)}")
        lines.append("")
    return "\n".join(lines)


def total(parts: list[ModePart]) -> Crossing:
    """The corridor's km per country: its parts' summed, longest first."""
    km: dict[str, float] = {}
    for p in parts:
        for key, value in p.crossing.km.items():
            km[key] = km.get(key, 0.0) + value
    return Crossing(dict(sorted(km.items(), key=lambda kv: -kv[1])))


def info_csv(corridors, parts: dict[str, list[ModePart]], names: dict[str, str]) -> str:
    """One row per corridor, mode and country: ``corridor, mode, role, iso3, country, km``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["corridor", "mode", "role", "iso3", "country", "km"])
    for cid in corridors["id"]:
        for p in parts[cid]:
            for key, km in p.crossing.km.items():
                writer.writerow([cid, p.mode, p.role, "" if key == SEA else key, names.get(key, key), f"{km:.1f}"])
    return out.getvalue()


def info_markdown(corridors, parts: dict[str, list[ModePart]], names: dict[str, str],
                  titles: dict[str, str]) -> str:
    """The README's table: corridor, km, by mode, countries (km), segments."""
    rows = ["| corridor | km | by mode (km) | countries (km) | segments |", "| --- | ---: | --- | --- | --- |"]
    for _, c in corridors.iterrows():
        cid = c["id"]
        modes = "; ".join(
            f"{p.mode} {p.length_km:,.0f}" + (" (own line)" if p.role == OWN and len(parts[cid]) > 1 else "")
            + (f" (feeder: {segment_names(p)})" if p.role == FEEDER else "")
            for p in parts[cid])
        cross = total(parts[cid])
        status = c["by_status"].replace(";", ",")
        rows.append(f"| {titles[cid]} | {c['length_km']:,.0f} | {modes} | {km_text(cross, names, 0)} | "
                    f"{c['segments']}: {status} |")
    return "\n".join(rows) + "\n"
