"""The record/reject machinery every loader shares.

A loader turns one source file into triples plus a list of rejected rows. It never touches the
store: the pipeline decides what is written, so a loader that fails half-way leaves nothing
behind. Two kinds of failure are distinguished on purpose:

* a *rejected row* (`Rejection`): one row is unusable (unknown State, bad session number); the
  rest of the file loads and the rejection is reported with file, row and reason;
* a *load error* (`LoadError`): the file as a whole is unusable (empty, binary, wrong header);
  nothing from it is loaded and the user gets one line naming file, place and problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from pyoxigraph import Triple

from ..graph.iris import Iris


class LoadError(Exception):
    """A file that cannot be loaded at all."""

    def __init__(self, file: str | Path, place: str, problem: str) -> None:
        self.file = str(file)
        self.place = place
        self.problem = problem
        super().__init__(f"{self.file}: {place}: {problem}" if place else f"{self.file}: {problem}")


@dataclass(frozen=True)
class Rejection:
    file: str
    row: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}: {self.reason}"


class RowRejected(Exception):
    """Raised inside a loader's row mapping; the loader turns it into a `Rejection`."""


class RowCounts:
    """The reconciliation every load answers for: rows read = loaded + rejected."""

    rows_read: int
    rows_loaded: int
    rejections: list[Rejection]

    @property
    def rows_rejected(self) -> int:
        return len(self.rejections)

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected


@dataclass
class LoadResult(RowCounts):
    """What one loader made of one file."""

    file: Path
    loader: str
    graph_key: str
    triples: list[Triple] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    records: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def reject(self, row: int | str, reason: str) -> None:
        self.rejections.append(Rejection(self.file.name, str(row), reason))


Progress = Callable[[int, int | None], None]


@dataclass
class LoadContext:
    """What a loader may use besides its file: IRIs, a row limit for smoke runs, options."""

    iris: Iris = field(default_factory=Iris)
    limit: int | None = None
    options: dict[str, str] = field(default_factory=dict)
    progress: Progress | None = None


class Loader:
    """One source format. Subclasses set the class attributes and implement `sniff` and `load`."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()

    def sniff(self, path: Path) -> bool:
        """True if this loader recognises the file (by extension and content, cheaply)."""
        raise NotImplementedError

    def graph_key(self, path: Path) -> str:
        return f"{self.name}/{path.name}"

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        raise NotImplementedError
