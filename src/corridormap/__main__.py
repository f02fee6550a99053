"""``python -m corridormap``."""

from corridormap.cli import run

run()
