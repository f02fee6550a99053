"""One documented place for paths, region bounds and defaults."""

from __future__ import annotations

from pathlib import Path

#: The corridor region as (min_lon, min_lat, max_lon, max_lat): from the Balkans and Poland to western China,
#: from the Gulf (Bandar Abbas) to Moscow. Every node and vertex must lie inside it; the base map is clipped to it.
REGION_BOUNDS: tuple[float, float, float, float] = (12.0, 22.0, 112.0, 60.0)

def in_region(lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies in :data:`REGION_BOUNDS`.

    >>> in_region(49.87, 40.41), in_region(40.41, 49.87), in_region(-77.0, 38.9)
    (True, True, False)
    """
    x0, y0, x1, y1 = REGION_BOUNDS
    return x0 <= lon <= x1 and y0 <= lat <= y1


#: Folder names inside a corridormap repository.
GEO_DIR = "geo"
ROUTES_DIR = "routes"
MAPS_DIR = "maps"

#: A node may lie at most this far from the GeoNames place of the same geonameid (km).
GEONAMES_TOLERANCE_KM = 5.0
#: A segment's first/last vertex may lie at most this far from its from/to node (km).
ENDPOINT_TOLERANCE_KM = 1.0
#: A sea leg may touch land only this close to its ports (km).
PORT_LAND_ALLOWANCE_KM = 15.0
#: The base map's borders (Natural Earth 1:10m, simplified to ~1 km) cut river meanders: a land line that leaves a
#: country (for another, or the sea) and comes back to it without ever going further than this from it is counted
#: in that country (km, about: measured in degrees). Deeper excursions are real crossings and are counted.
BORDER_TOLERANCE_KM = 5.0
#: Largest gap between consecutive vertices of a traced land segment (km).
MAX_LAND_VERTEX_GAP_KM = 60.0

#: Decimal places of coordinates in GeoJSON exports (RFC 7946 recommends ~6: about 0.1 m).
EXPORT_PRECISION = 6


def repo_path(root: str | Path | None = None) -> Path:
    """The repository folder: *root*, or the current working directory."""
    return Path(root) if root is not None else Path.cwd()
