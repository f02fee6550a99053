"""Renderers: folium HTML maps (:mod:`.html`); the building blocks live beside it."""
