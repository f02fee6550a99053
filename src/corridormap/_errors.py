"""Domain errors: every problem names the file, the row or feature, the field, what was expected and found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix it.

    ``where`` is ``"row 7"`` (the CSV line number, header = line 1) or ``"feature 3"`` (0-based index in the
    FeatureCollection, with its segment id when known) or ``""`` for the whole file.
    """

    file: str
    where: str
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.where}" if self.where else self.file
        return f"{location}: {self.field}: expected {self.expected}, found {self.found}"


class DataError(ValueError):
    """The data in ``geo/`` or ``routes/`` is not usable; ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


def found(value: object) -> str:
    """How a found value is shown in a message: quoted and shortened, with its type when it is not text."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text) if value else "an empty value"
    return f"{value!r} ({type(value).__name__})"
