"""``python -m corridormap``."""

from corridormap.cli import main

raise SystemExit(main())
