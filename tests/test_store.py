"""The store's write contract: whole graphs replaced all together, or not at all."""

from __future__ import annotations

import pytest
from conftest import snapshot
from rightsgraph.graph.rdf import lit, triple
from rightsgraph.graph.store import EmbeddedStore, GraphWrite, StoreError

META = "http://example.org/meta"


def _write(graph: str, n: int, tag: str) -> GraphWrite:
    triples = [triple(f"http://example.org/{tag}/{i}", "http://example.org/p", lit(i)) for i in range(n)]
    load = f"http://example.org/load/{graph.rsplit('/', 1)[-1]}"
    return GraphWrite(graph, triples, (load,), [triple(load, "http://example.org/tag", lit(tag))])


def test_replacing_a_graph_drops_its_old_content_and_metadata(store):
    store.replace_graphs([_write("http://example.org/g1", 5, "old")], META)
    store.replace_graphs([_write("http://example.org/g1", 2, "new")], META)
    sizes = store.graph_sizes()
    assert sizes["http://example.org/g1"] == 2
    assert sizes[META] == 1
    assert {q.subject.value.split("/")[-2] for q in store.quads("http://example.org/g1")} == {"new"}


@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_write_changes_nothing(store, monkeypatch, existing):
    if existing:
        store.replace_graphs([_write("http://example.org/g1", 3, "old")], META)
    before = snapshot(store)
    monkeypatch.setattr(store, "_store", _Failing(store.raw))
    with pytest.raises(StoreError, match="nothing was changed"):
        store.replace_graphs([_write("http://example.org/g1", 4, "new"), _write("http://example.org/g2", 4, "x")],
                             META)
    monkeypatch.undo()
    assert snapshot(store) == before


class _Failing:
    """The real store, except that its transactional update fails (as a full disk would)."""

    def __init__(self, real):
        self._real = real

    def update(self, *args, **kwargs):
        raise OSError("disk full")

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_persistent_store_survives_reopening(tmp_path):
    with EmbeddedStore(tmp_path / "s") as s:
        s.replace_graphs([_write("http://example.org/g1", 3, "a")], META)
    with EmbeddedStore(tmp_path / "s", read_only=True) as s:
        assert s.graph_sizes()["http://example.org/g1"] == 3


def test_read_only_on_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here yet"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)
