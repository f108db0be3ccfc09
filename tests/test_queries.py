"""Query files: headers, typed parameters, safe binding."""

from __future__ import annotations

import pytest
from rightsgraph.graph import queries
from rightsgraph.graph.queries import QueryError


def test_every_shipped_query_has_a_header():
    shipped = queries.shipped()
    assert "response-summary" in shipped
    for q in shipped.values():
        assert q.title and q.description, q.name


def test_parameters_are_typed_and_resolved():
    q = queries.resolve("response-summary")
    assert queries.bind(q, {"state": "china"})["state"].value == "CHN"
    assert queries.bind(q, {}) == {}


def test_injection_attempt_is_a_bad_value_not_query_text():
    q = queries.resolve("response-summary")
    with pytest.raises(QueryError):
        queries.bind(q, {"state": 'CHN" } } SELECT * WHERE { ?s ?p ?o } #'})


def test_adhoc_query_file(tmp_path, store):
    f = tmp_path / "mine.rq"
    f.write_text("# title: count\n# param n: integer, required. A number.\nSELECT ?n WHERE {}\n")
    q = queries.resolve(str(f))
    assert q.params["n"].required
    with pytest.raises(QueryError, match="needs --param n"):
        queries.run(store, q, {})
    assert queries.run(store, q, {"n": "7"}).rows == [{"n": 7}]
    with pytest.raises(QueryError, match="not a whole number"):
        queries.run(store, q, {"n": "seven"})
