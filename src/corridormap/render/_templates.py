"""Compile each of branca's element templates once, and rendered text not at all.

branca renders a map by rendering every element's macros to text and wrapping each text in a new
``Element(text)``, which compiles that text as a Jinja template (``MacroElement.render``): about 650 compiles a
build, each lexing kilobytes of script, a fifth of the build's CPU. :func:`install` replaces the ``Template`` that
``branca.element.Element`` calls with :func:`element_template`: text without Jinja syntax becomes a
:class:`Verbatim` that renders exactly what Jinja would (newlines normalised, one trailing newline dropped), and
any real template is compiled once per distinct source. The HTML written is byte-identical.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import branca.element
import jinja2

_NEWLINES = re.compile(r"\r\n|\r|\n")
_SYNTAX = ("{{", "{%", "{#")


class Verbatim:
    """A stand-in for a compiled Jinja template of plain text: ``render`` returns Jinja's output for it."""

    def __init__(self, source: str):
        lines = _NEWLINES.split(source)
        if lines[-1] == "":  # Jinja's default keep_trailing_newline=False
            del lines[-1]
        self.text = "\n".join(lines)

    def render(self, *_args: Any, **_kwargs: Any) -> str:
        return self.text


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> jinja2.Template:
    return jinja2.Template(source)


def element_template(source: str) -> Verbatim | jinja2.Template:
    """What ``branca.element.Element(source)`` renders with: plain text verbatim, a template compiled once."""
    if any(mark in source for mark in _SYNTAX):
        return _compiled(source)
    return Verbatim(source)


def install() -> None:
    """Route branca's ``Element(template)`` through :func:`element_template` (idempotent)."""
    branca.element.Template = element_template  # type: ignore[misc,assignment]
