"""Shared fixtures: an in-memory store, and the real data in ../shared/data when present."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rightsgraph.graph.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
UPR_INFO = SHARED / "upr-info"
DEFAULT_DATA = REPO / "rightsgraph" / "data" / "default"


@pytest.fixture
def store() -> EmbeddedStore:
    return EmbeddedStore(None)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real data not found at {SHARED}")
    return SHARED


def read_upr_info_rows(path: Path) -> list[list[str]]:
    """An independent reading of a UPR Info CSV (Mac Roman, CR line endings) for expected counts."""
    text = path.read_bytes().decode("mac_roman")
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def snapshot(store: EmbeddedStore) -> set[str]:
    """Every quad in the store, as text: compare two snapshots to prove nothing changed."""
    return {str(q) for q in store.raw}
