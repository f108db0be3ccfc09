"""The OHCHR report loader: text repair, paragraph structure, recommendations, errors.

Expected figures come from an independent reading of the PDF (pypdf's plain text and simple regexes,
not the loader's code): paragraph 151 has limbs (i)-(xiii), 152 has (i)-(ii), 153 has none.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT_DATA, snapshot
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.namespaces import RG
from rightsgraph.graph.pipeline import load_files
from rightsgraph.loaders.base import LoadContext, LoadError
from rightsgraph.loaders.ohchr_report import numbered_paragraphs
from rightsgraph.loaders.pdf_text import pdf_text, repair, word_counts
from rightsgraph.loaders.registry import detect, get

META = DEFAULT_DATA / "china-ohchr-assessment-2022-08-31.yaml"
PDF = DEFAULT_DATA.parent / "curated" / "china" / "ohchr-assessment-xinjiang-2022-08-31.pdf"
IRIS = Iris()
TITLE = "OHCHR Assessment of human rights concerns in the Xinjiang Uyghur Autonomous Region, People’s Republic of China"
DOC = IRIS.document("ohchr", "2022-08-31", TITLE)


@pytest.fixture(scope="module")
def plain_text() -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(PDF)).pages)


@pytest.fixture(scope="module")
def result():
    return get("ohchr-report").load(META, LoadContext())


def by_predicate(result, predicate) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for t in result.triples:
        if t.predicate.value == str(predicate):
            out.setdefault(t.subject.value, set()).add(t.object.value)
    return out


# --- the text layer ------------------------------------------------------------------------------------
def test_the_pdf_really_has_broken_spacing(plain_text):
    for broken in ("increas ing", "G overnment", "th e situation", "indepe ndent", "counter -terrorism"):
        assert broken in plain_text


def test_repair_joins_split_words_from_the_documents_own_vocabulary():
    text = pdf_text(PDF).text
    for whole in ("receiving increasing allegations", "monitor the situation", "urgent attention by the Government",
                  "scant independent", "counter-terrorism", "China’s periodic report", "ill-treatment"):
        assert whole in " ".join(text.split()), whole


def test_repair_keeps_real_word_pairs_apart():
    counts = word_counts("urban plan the a broad scale not able up on abroad notable upon " * 3)
    fixed = repair("the ur ban p lan on a broad scale, not able to follow up on it", counts)
    assert fixed == "the urban plan on a broad scale, not able to follow up on it"
    assert repair("a s how and system s ought", word_counts("as how systems ought show sought " * 2)) \
        == "as how and systems ought"


def test_footnotes_and_page_numbers_are_dropped():
    text = pdf_text(PDF).text
    assert "Committee on Application of Standards, 110th International Labour Conference" not in text  # fn. 306
    assert not any(line.strip() == "44" for line in text.splitlines())


# --- structure -------------------------------------------------------------------------------------------
def test_paragraphs_are_numbered_1_to_153_without_gaps(plain_text):
    paragraphs, skipped = numbered_paragraphs(pdf_text(PDF).text.split("\n"))
    assert [p.number for p in paragraphs] == list(range(1, 154)) and skipped == []
    # independently: the highest paragraph number at a line start in pypdf's plain text
    assert max(int(n) for n in re.findall(r"(?m)^(\d{1,3})\. ", plain_text) if int(n) < 200) == 153


def test_recommendations_against_the_pdfs_own_numbering(result, plain_text):
    section = plain_text[plain_text.index("151. OHCHR recommends"):plain_text.rindex("Appendix")]
    limbs = re.findall(r"(?m)^\(([ivx]+)\) ", section)
    assert limbs == ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "i", "ii"]
    expected = [f"151({n})" for n in limbs[:13]] + [f"152({n})" for n in limbs[13:]] + ["153"]
    paragraphs = sorted(v for vs in by_predicate(result, RG.paragraph).values() for v in vs)
    assert paragraphs == sorted(expected)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (16, 16, 0)
    assert result.records == Counter({"recommendation": 16, "document": 1})
    assert "153 numbered paragraphs 1–153, none missing" in result.notes


def test_each_recommendation_is_addressed_as_its_paragraph_says(result):
    addressed = Counter(v for vs in by_predicate(result, RG.addressedTo).values() for v in vs)
    assert addressed == Counter({IRIS.state("CHN"): 13,
                                 "https://w3id.org/rightsgraph/vocab/addressee/business-enterprises": 2,
                                 "https://w3id.org/rightsgraph/vocab/addressee/international-community": 1})


def test_recommendation_texts_are_clean(result):
    text = {k.rsplit("/", 1)[1]: next(iter(v)) for k, v in by_predicate(result, RG.text).items()}
    assert text["151-i"] == ("Takes prompt steps to release all individuals arbitrarily deprived of their liberty "
                             "in XUAR, whether in VETCs, prisons or other detention facilities")
    assert text["151-vii"].endswith("and the 2014 Protocol")  # footnote marker 306 and ';' dropped
    assert text["151-xiii"].endswith("in follow up to the High Commissioner’s visit")
    assert "remains available" not in text["151-xiii"]  # the unnumbered sentence after the list
    assert text["153"].startswith("OHCHR recommends to the international community that it supports efforts")
    assert text["153"].endswith("to victims in the States in which they are located")


def test_document_iri_is_minted_from_office_date_and_title(result):
    docs = by_predicate(result, RG.issuedIn)
    assert set().union(*docs.values()) == {DOC}
    assert DOC == ("https://w3id.org/rightsgraph/id/document/ohchr/2022-08-31/"
                   "ohchr-assessment-of-human-rights-concerns-in-the-xinjiang-uyghur-autonomous")
    titles = by_predicate(result, "http://purl.org/dc/terms/title")
    assert titles[DOC] == {TITLE}


# --- the PDF as the input ---------------------------------------------------------------------------------
def metadata_next_to(pdf: Path, **changes) -> Path:
    data = yaml.safe_load(META.read_text(encoding="utf-8"))
    data.pop("pdf")
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    meta = pdf.with_suffix(".yaml")
    meta.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return meta


def test_pdf_with_metadata_beside_it_is_detected_into_the_same_graph(tmp_path):
    pdf = tmp_path / PDF.name
    shutil.copy(PDF, pdf)
    metadata_next_to(pdf)
    loader = detect(pdf)
    assert loader.name == "ohchr-report"
    assert loader.graph_key(pdf) == loader.graph_key(META) == f"ohchr-report/{PDF.name}"
    assert loader.load(pdf, LoadContext()).rows_loaded == 16


def test_metadata_given_as_an_option(tmp_path):
    meta = metadata_next_to(tmp_path / "elsewhere.pdf")
    result = get("ohchr-report").load(PDF, LoadContext(options={"metadata": str(meta)}))
    assert result.rows_loaded == 16


def test_an_unlisted_addressee_is_a_rejection_not_a_guess(tmp_path):
    meta = metadata_next_to(tmp_path / "report.pdf", addressees=[{"phrase": "Government of China", "state": "China"}])
    result = get("ohchr-report").load(PDF, LoadContext(options={"metadata": str(meta)}))
    assert (result.rows_loaded, result.rows_rejected) == (13, 3)
    assert {r.row for r in result.rejections} == {"para. 152(i)", "para. 152(ii)", "para. 153"}
    assert "addressed to 'business community', which the metadata's addressees do not list" in \
        result.rejections[0].reason


@pytest.mark.parametrize("change, problem", [
    ({"title": ""}, "title is missing"),
    ({"date": "31 August 2022"}, "date '31 August 2022' is not a date"),
    ({"issuing_office": "unesco"}, "issuing_office 'unesco' is not a mechanism key"),
    ({"sha256": "0" * 64}, "differs from the metadata's"),
    ({"addressees": [{"phrase": "business community", "addressee": "shareholders"}]}, "not in vocab/addressee"),
    ({"colour": "blue"}, "unknown key(s) colour"),
])
def test_bad_metadata_is_one_load_error(tmp_path, change, problem):
    pdf = tmp_path / "report.pdf"
    shutil.copy(PDF, pdf)
    metadata_next_to(pdf, **change)
    with pytest.raises(LoadError) as info:
        get("ohchr-report").load(pdf, LoadContext())
    assert problem in str(info.value) and "\n" not in str(info.value)


def test_missing_metadata_and_broken_pdfs_are_load_errors(tmp_path):
    pdf = tmp_path / "alone.pdf"
    shutil.copy(PDF, pdf)
    with pytest.raises(LoadError, match="no metadata: put alone.yaml next to it"):
        get("ohchr-report").load(pdf, LoadContext())
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    metadata_next_to(broken, sha256=None)
    with pytest.raises(LoadError, match="not a readable PDF|no numbered paragraphs|no text layer"):
        get("ohchr-report").load(broken, LoadContext())
    meta = tmp_path / "meta.yaml"
    meta.write_text("rightsgraph-format: ohchr-report/1\npdf: missing.pdf\ntitle: T\ndate: 2020-01-01\n"
                    "issuing_office: ohchr\n", encoding="utf-8")
    with pytest.raises(LoadError, match="'missing.pdf' not found"):
        get("ohchr-report").load(meta, LoadContext())


def test_a_failed_report_load_leaves_the_store_unchanged(store, tmp_path):
    load_files(store, [META])
    before = snapshot(store)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    metadata_next_to(broken, sha256=None)
    with pytest.raises(LoadError):
        load_files(store, [broken], force=True)
    assert snapshot(store) == before
    assert len([g for g in store.named_graphs() if "ohchr-report" in g]) == 1
