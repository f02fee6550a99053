"""The one place Skia (skia-python) is imported, with a message that helps where it fails to load."""

from __future__ import annotations

try:
    import skia
except ImportError as err:  # the wheel links the system's libEGL/libGL, absent from minimal Linux images
    raise ImportError(f"slides need Skia (skia-python), which failed to load: {err}. On Debian or Ubuntu: "
                      "apt-get install libegl1 libgl1") from err

__all__ = ["skia"]
