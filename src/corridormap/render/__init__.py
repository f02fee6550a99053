"""Renderers: folium HTML maps (:mod:`.html`); the building blocks live beside it."""

from . import _templates

_templates.install()  # branca compiles every rendered chunk as a template otherwise; output unchanged
