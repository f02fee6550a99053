"""Compile each of branca's element templates once, and never compile rendered text.

branca renders a map by rendering every element's macros to text and wrapping each text in a new
``Element(text)``, which compiles that text as a Jinja template (``MacroElement.render``, and folium's own
``render`` methods): about 650 compiles a build, each lexing kilobytes of script, a fifth of the build's CPU. Worse,
the text is data by then: a name or a quote containing ``{{ 7*7 }}`` came out as ``49``, and Jinja without a
sandbox can run Python. :func:`install` makes every ``Element`` created *while a figure renders* a
:class:`Verbatim` (what Jinja would output for plain text: newlines normalised, one trailing newline dropped), and
compiles a real template (an ``Element`` made outside a render) once per distinct source. Pages without ``{{``,
``{%`` or ``{#`` in their data are byte-identical to branca's.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Iterator
from typing import Any

import branca.element
import jinja2

_NEWLINES = re.compile(r"\r\n|\r|\n")
_SYNTAX = ("{{", "{%", "{#")
_rendering: contextvars.ContextVar[bool] = contextvars.ContextVar("corridormap_rendering", default=False)


class Verbatim:
    """A stand-in for a compiled Jinja template of plain text: ``render`` returns Jinja's output for it."""

    def __init__(self, source: str):
        if "\r" in source:
            source = _NEWLINES.sub("\n", source)
        # Jinja's default keep_trailing_newline=False (splitting and rejoining each text cost 1 ms a page)
        self.text = source[:-1] if source.endswith("\n") else source

    def render(self, *_args: Any, **_kwargs: Any) -> str:
        return self.text


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> jinja2.Template:
    return jinja2.Template(source)


def element_template(source: str) -> Verbatim | jinja2.Template:
    """What ``branca.element.Element(source)`` renders with: rendered text (made during a render) and plain text
    verbatim, a template compiled once."""
    if _rendering.get() or not any(mark in source for mark in _SYNTAX):
        return Verbatim(source)
    return _compiled(source)


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """While this is active, ``Element(text)`` keeps *text* as it is (it is rendered output, not a template)."""
    token = _rendering.set(True)
    try:
        yield
    finally:
        _rendering.reset(token)


def install() -> None:
    """Route branca's ``Element(template)`` through :func:`element_template` and run every ``Figure.render``
    (``save``, ``get_root().render()``, Jupyter's display) inside :func:`rendering` (idempotent)."""
    branca.element.Template = element_template  # type: ignore[misc,assignment]
    figure_render = branca.element.Figure.render
    if getattr(figure_render, "_corridormap", False):
        return

    @functools.wraps(figure_render)
    def render(self: branca.element.Figure, **kwargs: Any) -> str:
        with rendering():
            return figure_render(self, **kwargs)

    render._corridormap = True  # type: ignore[attr-defined]
    branca.element.Figure.render = render  # type: ignore[method-assign]
