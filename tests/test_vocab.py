"""The SKOS vocabularies (ontology/vocab/*.ttl) and the lookups in graph/vocab.py."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rightsgraph.graph import vocab
from rightsgraph.graph.namespaces import VOCAB_BASE

METHODOLOGY = "https://w3id.org/rightsgraph/source/upr-info-methodology/"
EDITORIAL = Literal("Definition by rightsgraph, not from the source.", lang="en")
# This module's schemes; the structural checks run over every shipped scheme (other modules add theirs).
SCHEMES = ["position", "upr-info-issue", "action-category", "regional-group", "upr-cycle", "un-status",
           "mechanism-type"]
ALL_SCHEMES = sorted(str(s).removeprefix(VOCAB_BASE)
                     for s in vocab.vocab_graph().subjects(RDF.type, SKOS.ConceptScheme))

# The Issue labels of UPR Info's database exports (all 54 that occur in ../shared/data/upr-info/*.csv).
UPR_INFO_ISSUES = [
    "Asylum-seekers - refugees", "CP rights - general", "Civil society", "Corruption", "Counter-terrorism",
    "Death penalty", "Detention", "Development", "Disabilities", "ESC rights - general", "Elections",
    "Enforced disappearances", "Environment", "Extrajudicial executions",
    "Freedom of association and peaceful assembly", "Freedom of movement",
    "Freedom of opinion and expression", "Freedom of religion and belief", "Freedom of the press", "General",
    "HIV - Aids", "Human rights defenders", "Human rights education and training",
    "Human rights violations by state agents", "Impunity", "Indigenous peoples",
    "Internally displaced persons", "International humanitarian law", "International instruments", "Justice",
    "Labour", "Migrants",
    "Minorities", "NHRI", "National plan of action", "Other", "Poverty", "Public security",
    "Racial discrimination", "Right to education", "Right to food", "Right to health", "Right to housing",
    "Right to land", "Right to water", "Rights of the Child", "Sexual Orientation and Gender Identity",
    "Special procedures", "Technical assistance and cooperation", "Torture and other CID treatment",
    "Trafficking", "Treaty bodies", "UPR process", "Women's rights",
]


def pos(notation: str) -> str:
    return f"{VOCAB_BASE}position/{notation}"


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower().replace("'", "")).strip("-")


@pytest.fixture(scope="module")
def g() -> Graph:
    return vocab.vocab_graph()


def concepts_of(g: Graph, scheme: str) -> list[URIRef]:
    return list(g.subjects(SKOS.inScheme, URIRef(VOCAB_BASE + scheme)))


def test_every_file_parses_on_its_own_and_declares_one_scheme() -> None:
    files = vocab.vocab_files()
    declared = []
    for f in files:
        graph = Graph().parse(data=f.read_text(encoding="utf-8"), format="turtle")
        schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
        assert len(schemes) == 1, f.name
        declared.append(str(schemes[0]))
    assert len(set(declared)) == len(declared)
    assert set(VOCAB_BASE + s for s in SCHEMES) <= set(declared)


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_scheme_metadata(g: Graph, scheme: str) -> None:
    s = URIRef(VOCAB_BASE + scheme)
    assert (s, RDF.type, SKOS.ConceptScheme) in g
    assert g.value(s, DCTERMS.title) is not None
    assert g.value(s, DCTERMS.description) is not None
    tops = set(g.objects(s, SKOS.hasTopConcept))
    assert tops and tops == set(g.subjects(SKOS.topConceptOf, s))


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_every_concept_is_well_formed(g: Graph, scheme: str) -> None:
    s = URIRef(VOCAB_BASE + scheme)
    members = concepts_of(g, scheme)
    assert members
    for c in members:
        assert (c, RDF.type, SKOS.Concept) in g, c
        prefs = [p for p in g.objects(c, SKOS.prefLabel) if p.language == "en"]
        assert len(prefs) == 1, c
        notations = list(g.objects(c, SKOS.notation))
        assert len(notations) == 1, c
        assert str(c) == f"{VOCAB_BASE}{scheme}/{notations[0]}"
        broader = list(g.objects(c, SKOS.broader))
        assert (c, SKOS.topConceptOf, s) in g or broader, c
        for b in broader:
            assert (b, SKOS.inScheme, s) in g, (c, b)


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_no_shared_notation_or_preflabel_in_a_scheme(g: Graph, scheme: str) -> None:
    members = concepts_of(g, scheme)
    notations = Counter(str(g.value(c, SKOS.notation)) for c in members)
    prefs = Counter(str(g.value(c, SKOS.prefLabel)).casefold() for c in members)
    assert max(notations.values()) == 1
    assert max(prefs.values()) == 1


def test_definitions_are_sourced_or_marked_editorial(g: Graph) -> None:
    """Nothing invented: a definition cites a UPR Info methodology PDF, or says it is rightsgraph's own."""
    for scheme in SCHEMES:
        for c in concepts_of(g, scheme):
            if g.value(c, SKOS.definition) is None:
                continue
            sources = {str(o) for o in g.objects(c, DCTERMS.source)}
            editorial = (c, SKOS.editorialNote, EDITORIAL) in g
            assert editorial or any(src.startswith(METHODOLOGY) for src in sources), c


def test_methodology_sources_name_shipped_pdfs(g: Graph) -> None:
    pdfs = {"Database_Action_Category.pdf", "Database_Issues_explanation.pdf",
            "Database_Methodology_Responses_to_recommendations.pdf", "Database_Help_Guide.pdf"}
    cited = {str(o).removeprefix(METHODOLOGY) for o in g.objects(None, DCTERMS.source)
             if str(o).startswith(METHODOLOGY)}
    assert cited == pdfs


def test_every_shipped_label_resolves_within_its_scheme(g: Graph) -> None:
    """No spelling the vocabularies carry is ambiguous between unrelated concepts."""
    for scheme in ALL_SCHEMES:
        for c in concepts_of(g, scheme):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
                for value in g.objects(c, prop):
                    found = vocab.concept_for(scheme, str(value))
                    assert found is not None, (scheme, value)
                    assert found == str(c) or URIRef(found) in g.transitive_objects(c, SKOS.broader)


# --- UPR Info issues ----------------------------------------------------------------------------


def test_issues_cover_the_data_labels_exactly(g: Graph) -> None:
    members = concepts_of(g, "upr-info-issue")
    assert len(members) >= 54
    prefs = {str(g.value(c, SKOS.prefLabel)) for c in members}
    assert set(UPR_INFO_ISSUES) <= prefs
    for label in UPR_INFO_ISSUES:
        iri = vocab.concept_for("upr-info-issue", label)
        assert iri == f"{VOCAB_BASE}upr-info-issue/{slug(label)}", label
        assert vocab.label(iri) == label


def test_issue_slugs_and_pdf_spellings() -> None:
    assert vocab.concept_for("upr-info-issue", "Women's rights").endswith("/womens-rights")
    assert vocab.concept_for("upr-info-issue", "HIV - Aids").endswith("/hiv-aids")
    assert vocab.concept_for("upr-info-issue", "  women\u2019s   RIGHTS ").endswith("/womens-rights")
    assert vocab.concept_for("upr-info-issue", "Detention conditions").endswith("/detention")
    assert vocab.concept_for("upr-info-issue", "Technical assistance").endswith(
        "/technical-assistance-and-cooperation")


def test_issue_list_of_the_pdf_resolves(shared) -> None:
    """An independent reading of section 2 of the PDF: every issue it lists has a concept."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(shared / "upr-info" / "methodology" / "Database_Issues_explanation.pdf")
    text = "\n".join(reader.pages[i].extract_text() for i in (4, 5))
    listed = [m.group(2).strip() for m in re.finditer(r"^(\d{1,2}) (\S.*)$", text, re.M)]
    listed = [name for name in listed if not name.startswith("Complete list")]
    assert len(listed) == 54
    for name in listed:
        assert vocab.concept_for("upr-info-issue", name) is not None, name


# --- positions ------------------------------------------------------------------------------------


def test_upr_info_responses_map() -> None:
    assert vocab.concept_for("position", "Accepted") == pos("supported")
    assert vocab.concept_for("position", "Noted") == pos("noted")
    assert vocab.concept_for("position", "pending") == pos("pending")
    assert vocab.concept_for("position", "accepted") == pos("accepted")
    assert vocab.concept_for("position", "ACCEPTED") == pos("supported")
    assert vocab.concept_for("position", "Supported") == pos("supported")
    assert vocab.concept_for("position", "partially accepted") == pos("partially-supported")
    assert vocab.concept_for("position", "Accepted in Part") == pos("partially-supported")


def test_position_hierarchy(g: Graph) -> None:
    expected = {"accepted": "supported", "accepted-already-implemented": "accepted",
                "accepted-being-implemented": "accepted", "rejected": "noted"}
    for narrower, broader in expected.items():
        assert (URIRef(pos(narrower)), SKOS.broader, URIRef(pos(broader))) in g
    tops = {str(c) for c in g.objects(URIRef(VOCAB_BASE + "position"), SKOS.hasTopConcept)}
    assert tops == {pos(n) for n in ("supported", "partially-supported", "noted", "pending")}


@pytest.mark.parametrize("notation", ["noted", "rejected"])
def test_refusals(notation: str) -> None:
    assert vocab.is_refusal(pos(notation)) is True


@pytest.mark.parametrize("notation", ["supported", "accepted", "accepted-already-implemented",
                                      "accepted-being-implemented", "partially-supported", "pending"])
def test_not_refusals(notation: str) -> None:
    assert vocab.is_refusal(pos(notation)) is False


def test_refusal_note_agrees_with_rule(g: Graph) -> None:
    for c in concepts_of(g, "position"):
        notes = [str(n) for n in g.objects(c, SKOS.note) if str(n).startswith("Refusal: ")]
        assert len(notes) == 1, c
        assert notes[0].startswith("Refusal: yes") == vocab.is_refusal(str(c)), c


def test_is_refusal_rejects_non_positions() -> None:
    with pytest.raises(ValueError):
        vocab.is_refusal(f"{VOCAB_BASE}upr-info-issue/justice")


# --- action categories, groups, cycles, status, mechanisms --------------------------------------------


def test_action_categories_are_sourced_to_the_pdf(g: Graph) -> None:
    pdf = URIRef(METHODOLOGY + "Database_Action_Category.pdf")
    assert [vocab.concept_for("action-category", str(n)) for n in range(1, 6)] == vocab.concepts(
        "action-category")
    for n in range(1, 6):
        c = URIRef(f"{VOCAB_BASE}action-category/{n}")
        assert g.value(c, SKOS.notation) == Literal(str(n))
        assert str(g.value(c, SKOS.definition)).startswith("Recommendation")
        assert (c, DCTERMS.source, pdf) in g
        assert (c, SKOS.editorialNote, EDITORIAL) not in g
    assert vocab.label(f"{VOCAB_BASE}action-category/1") == "Minimal action"
    assert vocab.label(f"{VOCAB_BASE}action-category/5") == "Specific action"


def test_regional_group_codes_of_upr_info() -> None:
    codes = {"Africa": "african", "Asia": "asia-pacific", "EEG": "eastern-european", "GRULAC": "grulac",
             "WEOG": "weog"}
    for code, notation in codes.items():
        assert vocab.concept_for("regional-group", code) == f"{VOCAB_BASE}regional-group/{notation}"
    assert vocab.concept_for("regional-group", "Observer") is None
    assert vocab.concept_for("un-status", "Observer") == f"{VOCAB_BASE}un-status/observer-state"


def test_cycles_and_mechanisms(g: Graph) -> None:
    assert [c.rsplit("/", 1)[1] for c in vocab.concepts("upr-cycle")] == ["1", "2", "3", "4"]
    assert "sessions 13 to 26" in str(g.value(URIRef(f"{VOCAB_BASE}upr-cycle/2"), SKOS.definition))
    assert {c.rsplit("/", 1)[1] for c in vocab.concepts("mechanism-type")} == {
        "upr", "treaty-body", "special-procedure", "ohchr", "human-rights-council", "state", "un-secretariat"}
    assert vocab.concept_for("mechanism-type", "HRC") == f"{VOCAB_BASE}mechanism-type/human-rights-council"
    assert {c.rsplit("/", 1)[1] for c in vocab.concepts("un-status")} == {"member", "observer-state", "other"}


# --- lookups never invent -----------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "text"), [
    ("position", "Supported/Noted"), ("position", "maybe"), ("position", ""), ("position", "   "),
    ("upr-info-issue", "Womens rights please"), ("upr-info-issue", "Torture and CID"),
    ("action-category", "6"), ("action-category", "0"), ("upr-cycle", "5"),
])
def test_unknown_label_is_none(scheme: str, text: str) -> None:
    assert vocab.concept_for(scheme, text) is None


def test_unknown_scheme_is_an_error() -> None:
    with pytest.raises(ValueError):
        vocab.concept_for("no-such-scheme", "Accepted")


def test_label_and_graph_are_cached() -> None:
    assert vocab.vocab_graph() is vocab.vocab_graph()
    assert vocab.label(pos("supported")) == "supported"
    with pytest.raises(KeyError):
        vocab.label(f"{VOCAB_BASE}position/nope")
