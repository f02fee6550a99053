"""Small inline SVG bar charts for popups: no chart library, every label escaped."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart_svg(bars: list[tuple[str, float, str]], *, title: str, unit_label: str, color: str,
                  width: int = 300, height: int = 130) -> Markup:
    """A bar per ``(label, value, tooltip)``; the value axis starts at 0. Returns safe SVG markup.

    >>> svg = bar_chart_svg([("2021", 1.0, "a"), ("2022", 2.0, "<b>")], title="t", unit_label="Mt", color="#123456")
    >>> svg.count("<rect"), "&lt;b&gt;" in svg
    (2, True)
    """
    if not bars:
        return Markup("")
    top, left, bottom = 18, 8, 22
    plot_h = height - top - bottom
    peak = max(v for _, v, _ in bars) or 1.0
    step = (width - 2 * left) / len(bars)
    bar_w = max(4.0, step * 0.7)
    parts = [f'<svg class="cm-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="{left}" y="12" font-size="11" font-weight="bold">{escape(title)} ({escape(unit_label)})</text>']
    for i, (label, value, tip) in enumerate(bars):
        h = plot_h * value / peak
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{escape(color)}">'
                     f'<title>{escape(tip)}</title></rect>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 2:.1f}" font-size="9" text-anchor="middle">'
                     f'{value:.3g}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 8}" font-size="9" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
