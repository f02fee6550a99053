"""Leaflet from the installed XStatic package, inlined so a map opens with no network; or CDN links."""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

LEAFLET_VERSION = xleaflet.VERSION
CDN_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
CDN_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"


def leaflet_dir() -> Path:
    return Path(xleaflet.BASE_DIR)


@functools.cache
def leaflet_js() -> str:
    """leaflet.js without its source-map comment (which would make devtools fetch a file that is not there)."""
    text = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)


@functools.cache
def leaflet_css() -> str:
    """leaflet.css with its images (layer-control icon, markers) as data: URIs."""
    css = (leaflet_dir() / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        path = leaflet_dir() / match.group(1)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


def head_html(*, cdn: bool) -> str:
    """The ``<script>``/``<style>`` for Leaflet: inlined (default) or linked to the CDN."""
    if cdn:
        return f'<link rel="stylesheet" href="{CDN_CSS}"/>\n<script src="{CDN_JS}"></script>'
    js = leaflet_js().replace("</script", "<\\/script")
    return f"<style>{leaflet_css()}</style>\n<script>{js}</script>"


STATIC = Path(__file__).parent / "static"


@functools.cache
def page_head() -> str:
    """corridormap's own page CSS and runtime (``static/``), inlined after Leaflet on every page."""
    from .. import style

    css = (STATIC / "corridormap.css").read_text(encoding="utf-8")
    js = (STATIC / "corridormap.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    colours = f".leaflet-container {{ background: {style.SEA}; }}"
    return f"<style>{css}{colours}</style>\n<script>{js}</script>"
