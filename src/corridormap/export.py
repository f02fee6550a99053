"""GIS exports: RFC 7946 GeoJSON per corridor and for all, and one GeoPackage; every write is atomic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from ._io import atomic_path, write_text
from .join import Layers
from .qgis import layer_styles
from .settings import EXPORT_PRECISION

#: GeoPackage spatial layers, then attribute-only tables.
GPKG_LAYERS = ("segments", "corridors", "nodes", "countries", "agreement_points")
GPKG_TABLES = ("volumes", "agreements", "sources", "layer_styles")


def export(layers: Layers, out: str | Path = "maps/gis", *, comparisons: gpd.GeoDataFrame | None = None
           ) -> list[Path]:
    """Write ``<id>.geojson`` per corridor, ``corridors.geojson`` (all segments), ``countries.geojson`` (with trade
    attributes), ``agreements.geojson`` (points), ``comparisons.geojson`` (the scenarios' alternatives, when
    given: :func:`corridormap.network.scenarios.comparison_frame`) and ``corridormap.gpkg``.

    Returns the paths written.
    """
    out = Path(out)
    written = [write_geojson(frame, out / f"{cid}.geojson") for cid, frame in layers.members.items()]
    written.append(write_geojson(layers.segments, out / "corridors.geojson"))
    written.append(write_geojson(layers.countries, out / "countries.geojson"))
    written.append(write_geojson(layers.agreements, out / "agreements.geojson"))
    if comparisons is not None:
        written.append(write_geojson(comparisons, out / "comparisons.geojson"))
    written.append(write_gpkg(layers, out / "corridormap.gpkg", comparisons=comparisons))
    return written


def scalar(value: object) -> object:
    """A JSON-safe flat property value: numbers stay numbers, NaN/None become null, the rest text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return scalar(value.item())
    return str(value)


def geometry_json(geom) -> dict:
    """GeoJSON geometry of *geom*, the coordinates read as arrays (what ``shapely.geometry.mapping`` gives, 3x
    faster for long lines)."""
    kind = geom.geom_type
    z = geom.has_z

    def coords(g) -> list:
        return shapely.get_coordinates(g, include_z=z).tolist()

    if kind == "LineString":
        return {"type": kind, "coordinates": coords(geom)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [coords(g) for g in geom.geoms]}
    if kind == "Polygon":
        return {"type": kind, "coordinates": [coords(r) for r in (geom.exterior, *geom.interiors)]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[coords(r) for r in (p.exterior, *p.interiors)] for p in geom.geoms]}
    return mapping(geom)


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """RFC 7946 GeoJSON: lon/lat WGS84, no ``crs`` member, right-hand polygons, 6 decimals, flat properties."""
    frame = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    name = frame.geometry.name
    # Column by column (iterrows' Series cost 0.1 ms a row) and every geometry rounded and oriented at once.
    columns = [c for c in frame.columns if c != name]
    values = zip(*(frame[c].tolist() for c in columns)) if columns else ((),) * len(frame)
    geoms = shapely.orient_polygons(shapely.transform(frame.geometry.to_numpy(),
                                                      lambda xy: np.round(xy, EXPORT_PRECISION)), exterior_cw=False)
    features = [{"type": "Feature", "properties": {k: scalar(v) for k, v in zip(columns, row)},
                 "geometry": None if geom is None or geom.is_empty else geometry_json(geom)}
                for row, geom in zip(values, geoms)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def write_geojson(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    return write_text(path, geojson_text(frame))


def gpkg_frames(layers: Layers, comparisons: gpd.GeoDataFrame | None = None
                ) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Every layer and table of the GeoPackage, in writing order."""
    spatial: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {
        "segments": layers.segments, "corridors": layers.corridors, "nodes": layers.nodes,
        "countries": layers.countries, "agreement_points": layers.agreements}
    if comparisons is not None:
        spatial["comparisons"] = comparisons
    return {**spatial, "volumes": layers.volumes,
            "agreements": pd.DataFrame(layers.agreements.drop(columns="geometry")), "sources": layers.sources,
            "layer_styles": layer_styles(layers)}


#: GeoPackages record a "last change" time; a fixed one makes the same data give byte-identical files.
GPKG_DATE = "2000-01-01T00:00:00.000Z"


def write_gpkg(layers: Layers, path: str | Path, *, comparisons: gpd.GeoDataFrame | None = None) -> Path:
    """All layers (and attribute tables) into one GeoPackage, written to a temp file and renamed."""
    # The GeoPackage is written to a temp file and renamed: SQLite's journal and its fsync after every
    # transaction protect nothing here, and cost 7 s for a million volume rows on a busy disk.
    import pyogrio  # GDAL (20 ms to load) for the GeoPackage alone: after a build's workers fork, in its main process

    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE, "OGR_SQLITE_SYNCHRONOUS": "OFF",
                                     "OGR_SQLITE_JOURNAL": "OFF"})
    with atomic_path(path) as tmp:
        for name, frame in gpkg_frames(layers, comparisons).items():
            # Attribute tables (a million volume rows) go through Arrow: 10× faster than row by row; QGIS's
            # layer_styles table keys its rows by ``id``.
            options = {"FID": "id"} if name == "layer_styles" else None
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", promote_to_multi=False,
                                    layer_options=options, use_arrow=name in GPKG_TABLES)
    return Path(path)
