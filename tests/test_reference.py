"""Reference data: the States table, name resolution, regional groups and UPR sessions.

The source-reading tests use the real files in ../shared/data and skip when they are absent.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store, parse
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.namespaces import EU_COUNTRY, RG, SKOS
from rightsgraph.graph.rdf import in_graph
from rightsgraph.graph.reference import (
    StateTable,
    UprSessions,
    normalise_name,
    reference_triples,
    states,
    upr_sessions,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REFERENCE = REPO / "rightsgraph" / "data" / "reference"


@pytest.fixture(scope="module")
def table() -> StateTable:
    return StateTable.load()


@pytest.fixture(scope="module")
def data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}: source-reading tests need it")
    return SHARED


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_reference", REPO / "scripts" / "build_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


# --- the States table ------------------------------------------------------------------------------

def test_exactly_193_members(table: StateTable) -> None:
    members = table.members()
    assert len(members) == 193
    assert len({s.iso3 for s in members}) == 193
    assert all(len(s.names) == 6 and len(s.formal) == 6 for s in members)


def test_observer_states(table: StateTable) -> None:
    observers = {s.iso3 for s in table if s.un_status == "observer-state"}
    assert observers == {"VAT", "PSE"}
    assert table.resolve("Holy See").iso3 == "VAT"
    assert table.resolve("State of Palestine").iso3 == "PSE"
    assert table.by_iso3("VAT").regional_group is None


def test_every_state_has_codes(table: StateTable) -> None:
    for s in table:
        assert len(s.iso3) == 3 and len(s.iso2) == 2 and len(s.m49) == 3, s
        assert s.un_status in ("member", "observer-state", "other")
    assert table.by_iso3("AFG").m49 == "004"  # leading zeros kept


def test_members_per_regional_group(table: StateTable) -> None:
    counts: dict[str | None, int] = defaultdict(int)
    for s in table.members():
        counts[s.regional_group] += 1
    assert counts == {"african": 54, "asia-pacific": 54, "eastern-european": 23, "grulac": 33, "weog": 29}


@pytest.mark.parametrize(("iso3", "group"), [
    # corrections to regional-groups/ASIAPACIFICGROUP.yaml (see rightsgraph/data/reference/README.md)
    ("ARM", "eastern-european"),
    ("AZE", "eastern-european"),
    ("AUS", "weog"),
    ("NZL", "weog"),
    ("PSE", "asia-pacific"),
])
def test_regional_group_corrections(table: StateTable, iso3: str, group: str) -> None:
    assert table.by_iso3(iso3).regional_group == group


@pytest.mark.parametrize(("iso3", "group"), [
    ("ISR", "weog"), ("KIR", "asia-pacific"), ("USA", "weog"), ("TUR", "weog"), ("CYP", "asia-pacific"),
    ("GEO", "eastern-european"), ("CAN", "weog"), ("SSD", "african"),
])
def test_special_regional_groups(table: StateTable, iso3: str, group: str) -> None:
    state = table.by_iso3(iso3)
    assert state.regional_group == group
    if iso3 in ("ISR", "KIR", "USA", "TUR", "CYP"):
        assert state.note


def test_by_iso3(table: StateTable) -> None:
    assert table.by_iso3("chn").names["en"] == "China"
    with pytest.raises(KeyError):
        table.by_iso3("XXX")
    assert "CHN" in table and "XXX" not in table


# --- name resolution -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "iso3"), [
    ("Guinea", "GIN"), ("Guinea-Bissau", "GNB"), ("Guinea Bissau", "GNB"), ("Equatorial Guinea", "GNQ"),
    ("Papua New Guinea", "PNG"), ("Niger", "NER"), ("Nigeria", "NGA"), ("the Niger", "NER"),
    ("Congo", "COG"), ("Republic of Congo", "COG"), ("Republic of the Congo", "COG"),
    ("Democratic Republic of the Congo", "COD"), ("Democratic Republic of Congo", "COD"),
    ("DPR Korea", "PRK"), ("Democratic People’s Republic of Korea", "PRK"), ("North Korea", "PRK"),
    ("Republic of Korea", "KOR"), ("South Korea", "KOR"), ("Korea, Republic of", "KOR"),
    ("Sudan", "SDN"), ("South Sudan", "SSD"), ("Dominica", "DMA"), ("Dominican Republic", "DOM"),
    ("Antigua & Barbuda", "ATG"), ("Bosnia & Herzegovina", "BIH"), ("Macedonia FYR", "MKD"),
    ("the former Yugoslav Republic of Macedonia", "MKD"), ("Micronesia", "FSM"), ("Swaziland", "SWZ"),
    ("Laos", "LAO"), ("Iran", "IRN"), ("Syria", "SYR"), ("Palestine", "PSE"), ("Cape Verde", "CPV"),
    ("Turkey", "TUR"), ("Türkiye", "TUR"), ("St Kitts & Nevis", "KNA"), ("St. Lucia", "LCA"),
    ("United States", "USA"), ("Viet Nam", "VNM"), ("Bolivarian Republic of Venezuela", "VEN"),
    ("Iran (Islamic Republic of)", "IRN"), ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("Cote d ’ Ivoire", "CIV"), ("CÔTE D'IVOIRE", "CIV"), ("Timor- Leste", "TLS"), ("The Bahamas", "BHS"),
    ("  Gambia ;", "GMB"), ("Netherlands", "NLD"), ("Kingdom of the Netherlands", "NLD"),
    ("Sao Tome &amp; Principe", "STP"), ("Czech Republic", "CZE"),
])
def test_traps_and_variants(table: StateTable, name: str, iso3: str) -> None:
    assert table.resolve(name).iso3 == iso3


@pytest.mark.parametrize(("name", "iso3"), [
    ("Chine", "CHN"), ("中国", "CHN"), ("Китай", "CHN"), ("الصين", "CHN"),
    ("the People's Republic of China", "CHN"),
    ("République populaire de Chine", "CHN"), ("Guinée équatoriale", "GNQ"), ("Níger", "NER"),
    ("Congo (the)", "COG"), ("Estados Unidos de América", "USA"), ("El Salvador", "SLV"),
    ("Reino de España", "ESP"), ("el Reino de España", "ESP"),
])
def test_names_in_six_languages(table: StateTable, name: str, iso3: str) -> None:
    assert table.resolve(name).iso3 == iso3


@pytest.mark.parametrize("name", [
    "Atlantis", "(Unknown)", "&#40;Unknown&#41;", "", "   ", None, "Korea", "Guinee Bissau Equatoriale",
    "Chinaa", "Nigerr", "European Union", "Montserrat", "Salvador", "Guinea Equatorial",
])
def test_unknown_names_resolve_to_none(table: StateTable, name: str | None) -> None:
    assert table.resolve(name) is None


def test_normalise_name() -> None:
    assert normalise_name("&#40;Unknown&#41;") == "unknown"
    assert normalise_name("St Kitts & Nevis") == normalise_name("Saint Kitts and Nevis")
    assert normalise_name("Côte d’Ivoire") == normalise_name("cote d'ivoire")
    assert normalise_name("Bahamas (The)") == normalise_name("the Bahamas") == "bahamas"


def test_no_two_states_share_an_alias() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    with (REFERENCE / "state-aliases.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        owners[normalise_name(row["alias"])].add(row["iso3"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    assert len({r["alias"] for r in rows}) == len(rows)
    StateTable(states())  # the constructor also refuses a name that would resolve to two States


# --- every spelling in the shipped sources ---------------------------------------------------------

def test_every_source_variant_resolves(table: StateTable, data: Path, builder: ModuleType) -> None:
    not_states = {normalise_name(k) for k in builder.NOT_STATES}
    variants = builder.collect_variants(data)
    assert len(variants) > 50_000
    unresolved = {(v.text, v.source) for v in variants
                  if normalise_name(v.text) not in not_states and table.resolve(v.text) is None}
    assert unresolved == set()
    # the coded sources agree with the name resolution
    for v in variants:
        if v.source.startswith("treaty-bodies/"):
            assert table.resolve(v.text).iso3 == v.code


def test_upr_info_to_and_from_resolve(table: StateTable, data: Path) -> None:
    """An independent read of the UPR Info exports: every To and From is a State, bar "(Unknown)"."""
    names = set()
    for path in (data / "upr-info").glob("*.csv"):
        text = path.read_bytes().decode("mac_roman")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            names.update((row["To"], row["From"]))
    assert "&#40;Unknown&#41;" in names
    assert {n for n in names if table.resolve(n) is None} == {"&#40;Unknown&#41;"}
    assert table.resolve("Guinea Bissau").iso3 == "GNB"


def test_uhri_multi_valued_cells_resolve(table: StateTable, data: Path) -> None:
    with (data / "uhri" / "uhri-export-upr-10-states.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert table.resolve(row["countries_concerned"]) is not None
        for cell in row["upr_reccomending_states"].replace(";", ",").split(","):
            for name in cell.split(" - "):
                assert table.resolve(name) is not None, name


def test_docx_recommending_states(builder: ModuleType) -> None:
    text = ("121.2 Complete the ratification (Ukraine); Ratify ICRMW (Senegal, Venezuela (Bolivarian "
            "Republic of),Peru) (France);\nSource of position: A/HRC/43/15/Add.1 - Para. 3")
    assert builder.recommending_states_in_text(text) == [
        "Ukraine", "Senegal", "Venezuela (Bolivarian Republic of)", "Peru", "France"]


def test_build_is_reproducible(data: Path, builder: ModuleType, tmp_path: Path) -> None:
    assert builder.main([str(data), "--out", str(tmp_path)]) == 0
    for name in ("states.csv", "state-aliases.csv", "upr-sessions.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (REFERENCE / name).read_text(encoding="utf-8")


# --- UPR sessions ----------------------------------------------------------------------------------

def test_upr_sessions() -> None:
    sessions = UprSessions.load()
    assert sessions.year(17) == 2013 and sessions.cycle(17) == 2
    assert sessions.year(45) == 2024 and sessions.cycle(45) == 4
    assert [s.number for s in sessions] == list(range(1, 55))
    assert len(sessions) == 54 and 54 in sessions and 55 not in sessions
    assert {n: sessions.cycle(n) for n in (1, 12, 13, 26, 27, 40, 41, 54)} == {
        1: 1, 12: 1, 13: 2, 26: 2, 27: 3, 40: 3, 41: 4, 54: 4}


def test_session_54_comes_from_the_timeline() -> None:
    session = upr_sessions().get(54)
    assert session.year == 2027  # its Working Group meets on 19 January 2027
    assert "upr-timeline-sessions52-54.xlsx" in session.source


def test_unknown_session() -> None:
    sessions = upr_sessions()
    assert sessions.get(99) is None
    with pytest.raises(KeyError):
        sessions.year(99)
    with pytest.raises(KeyError):
        sessions.cycle(0)


# --- RDF -------------------------------------------------------------------------------------------

def _reference_graph(iris: Iris) -> rdflib.Graph:
    """The reference quads, through a pyoxigraph store and N-Quads, and back into rdflib."""
    quads = in_graph(reference_triples(iris), iris.reference_graph)
    store = Store()
    store.extend(quads)
    reparsed = list(parse(store.dump(format=RdfFormat.N_QUADS), format=RdfFormat.N_QUADS))
    assert set(reparsed) == set(quads)
    nt = store.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(iris.reference_graph))
    return rdflib.Graph().parse(data=nt, format="nt")


def test_reference_triples_parse() -> None:
    iris = Iris()
    g = _reference_graph(iris)
    assert len(g) == len(reference_triples(iris))  # no triple is repeated
    chn = rdflib.URIRef(iris.state("CHN"))
    labels = {lit.language: str(lit) for lit in g.objects(chn, SKOS.prefLabel)}
    assert set(labels) == {"en", "fr", "es", "ru", "zh", "ar"}
    assert labels["zh"] == "中国"
    assert (chn, rdflib.RDF.type, RG.State) in g
    assert (chn, rdflib.OWL.sameAs, EU_COUNTRY.CHN) in g
    asia_pacific = rdflib.URIRef("https://w3id.org/rightsgraph/vocab/regional-group/asia-pacific")
    assert (chn, RG.regionalGroup, asia_pacific) in g
    assert rdflib.Literal("People's Republic of China", lang="en") not in set(g.objects(chn, SKOS.altLabel))
    afg = rdflib.URIRef(iris.state("AFG"))
    assert str(g.value(afg, RG.m49)) == "004"
    s17 = rdflib.URIRef(iris.upr_session(17))
    assert g.value(s17, RG.year) == rdflib.Literal("2013", datatype=rdflib.XSD.gYear)
    assert g.value(s17, RG.cycle) == rdflib.URIRef("https://w3id.org/rightsgraph/vocab/upr-cycle/2")
    assert len(set(g.subjects(rdflib.RDF.type, RG.State))) == len(states())


def test_reference_triples_conform_to_shapes() -> None:
    pyshacl = pytest.importorskip("pyshacl")
    g = _reference_graph(Iris())
    shapes = rdflib.Graph().parse(REPO / "ontology" / "shapes" / "reference.ttl")
    conforms, _, report = pyshacl.validate(g, shacl_graph=shapes, advanced=True)
    assert conforms, report
