"""Domain errors: every problem names the file, the row or feature, the field, what was expected and found."""

from __future__ import annotations

from collections import Counter
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
    """The data in ``geo/`` or ``routes/`` is not usable; ``problems`` lists everything found.

    ``str()`` lists every problem; :meth:`report` the first few and a count of the rest by file and field (what
    the command line prints: a million bad rows are not a million lines on a terminal).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.headline())

    def headline(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} in the data"

    def report(self, limit: int | None = None) -> str:
        """The headline, then the first *limit* problems (all when ``None``), then how many more per file and
        field::

            … and 999,950 more problems, by file and field:
              routes/volumes.csv: value: 999,950
        """
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [self.headline(), *(str(p) for p in shown)]
        rest = self.problems[len(shown):]
        if rest:
            counts = Counter((p.file, p.field) for p in rest)
            lines.append(f"… and {len(rest):,} more problem{'s' if len(rest) != 1 else ''}, by file and field:")
            lines += [f"  {file}: {field}: {n:,}" for (file, field), n in counts.most_common()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def found(value: object) -> str:
    """How a found value is shown in a message: quoted and shortened, with its type when it is not text."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text) if value else "an empty value"
    return f"{value!r} ({type(value).__name__})"
