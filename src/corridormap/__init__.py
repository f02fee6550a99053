"""corridormap: maps of the Eurasian transport corridors that can be trusted.

The stages, each one module: :func:`load` → :func:`validate` → :mod:`measure` → :func:`join` →
render (HTML maps, slides) → :func:`export` (GeoJSON, GeoPackage).

In a notebook::

    import corridormap as cm
    layers = cm.join(cm.load("."))      # validated, measured and joined
    cm.atlas_map(layers)                # a folium.Map: displays inline in Jupyter
    cm.corridor_map(layers, "btc")
    cm.export(layers, "maps/gis")
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

# The stage modules `join` and `export` are loaded first, so that the functions below then own the names
# `corridormap.join` and `corridormap.export` (a submodule's first import would rebind them).
from . import export as _export_stage
from . import join as _join_stage
from ._errors import DataError, Problem
from .join import Layers
from .load import Atlas, load
from .validate import validate

if TYPE_CHECKING:  # folium and the renderers load on first use: `import corridormap` stays light
    import folium

__all__ = ["Atlas", "DataError", "Layers", "Problem", "atlas_map", "corridor_map", "export", "join", "load",
           "validate"]
__version__ = "0.1.0"


def join(atlas: Atlas | str | Path, *, check: bool = True) -> Layers:
    """Measure and join an atlas (or the repository at a path) into the layers that maps and exports draw.

    Parameters
    ----------
    atlas
        An :class:`Atlas` from :func:`load`, or the path of a repository holding ``geo/`` and ``routes/``.
    check
        Validate first (:func:`validate` raises :class:`DataError` listing every problem).
    """
    atlas = atlas if isinstance(atlas, Atlas) else load(atlas)
    if check:
        validate(atlas)
    return _join_stage.join(atlas)


def as_layers(source: Layers | Atlas | str | Path) -> Layers:
    """*source* as :class:`Layers`: joined layers as they are, an atlas or a repository path joined first."""
    return source if isinstance(source, Layers) else join(source)


def atlas_map(source: Layers | Atlas | str | Path = ".", *, cdn: bool = False) -> folium.Map:
    """The atlas as a :class:`folium.Map` (every corridor a layer, nodes, agreements, trade, legend, year control).

    It displays inline in Jupyter; ``.save("atlas.html")`` writes the same self-contained page as
    ``corridormap build``. *cdn* loads Leaflet from its CDN instead of inlining it.
    """
    from .render.html import atlas_map as make

    return make(as_layers(source), cdn=cdn)


def corridor_map(source: Layers | Atlas | str | Path, corridor: str, *, cdn: bool = False) -> folium.Map:
    """One corridor (an id of ``routes/corridors.csv``, e.g. ``"btc"``) framed on its bounds with its facts panel,
    as a :class:`folium.Map`. An unknown id raises :class:`ValueError` naming the close matches and every id."""
    from .render.html import corridor_map as make

    layers = as_layers(source)
    ids = list(layers.corridors["id"])
    if corridor not in ids:
        close = difflib.get_close_matches(corridor, ids, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ValueError(f"unknown corridor {corridor!r}{hint}: expected one of {', '.join(ids)}")
    return make(layers, corridor, cdn=cdn)


def export(source: Layers | Atlas | str | Path, out: str | Path = "maps/gis") -> list[Path]:
    """Write the GIS files (GeoJSON per corridor and for all, the GeoPackage) into *out*; returns their paths."""
    return _export_stage.export(as_layers(source), out)

