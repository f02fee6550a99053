"""corridormap: maps of the Eurasian transport corridors that can be trusted.

The stages, each one module: :func:`load` → :func:`validate` → :mod:`measure` → :func:`join` →
render (HTML maps, slides) → :func:`export` (GeoJSON, GeoPackage).
"""

from __future__ import annotations

from ._errors import DataError, Problem
from .load import Atlas, load
from .validate import validate

__all__ = ["Atlas", "DataError", "Problem", "load", "validate"]
__version__ = "0.1.0"
