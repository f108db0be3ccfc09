"""Build the SKOS schemes of OHCHR's UPR thematic lists from the matrices themselves.

    python scripts/build_upr_source_vocab.py [MATRIX_DIR] [--out ontology/vocab]

OHCHR classifies every recommendation in its thematic lists by UHRI theme and by affected persons
(groups of persons), and since the third cycle by Sustainable Development Goal. The theme lists
changed between releases (coded "A12 Acceptance of international norms" in the second cycle, uncoded
and partly renamed in the third, reorganised in the fourth), so each release is its own scheme, and
a label the releases share is linked with skos:exactMatch. No complete published list is available
here, so each scheme holds exactly the labels the shipped matrices use, each with the matrices it
was read from (dct:source); a label a new matrix uses and a scheme lacks is kept by the loader as a
plain rg:themeLabel / rg:affectedPersonsLabel, never guessed.

Writes uhri-themes-cycle{2,3,4}.ttl, affected-persons-cycle{2,3,4}.ttl and sdg.ttl.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from rightsgraph.graph.iris import slug
from rightsgraph.loaders.docx_matrix import classify, header_of, heading_of, normalise_label, theme_of
from rightsgraph.loaders.docx_tables import read_docx

SOURCE = "https://w3id.org/rightsgraph/source/ohchr-upr-matrix/"
VOCAB = "https://w3id.org/rightsgraph/vocab/"
RELEASES = {
    2: "second-cycle thematic lists (themes with UHRI codes, e.g. \"A12 Acceptance of international norms\")",
    3: "third-cycle thematic lists (themes without codes, \"SDGs:\" and \"Affected persons:\" sections)",
    4: "fourth-cycle thematic lists (\"Human rights themes and groups of persons\", SDGs in a column of their own)",
}
SDGS = [
    "No poverty", "Zero hunger", "Good health and well-being", "Quality education", "Gender equality",
    "Clean water and sanitation", "Affordable and clean energy", "Decent work and economic growth",
    "Industry, innovation and infrastructure", "Reduced inequalities", "Sustainable cities and communities",
    "Responsible consumption and production", "Climate action", "Life below water", "Life on land",
    "Peace, justice and strong institutions", "Partnerships for the goals",
]
PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
"""


def ordinal(n: int) -> str:
    return f"{n}{'nd' if n == 2 else 'rd' if n == 3 else 'th'}"


def release_of(coded: bool, sdg_column: bool) -> int:
    return 2 if coded else 4 if sdg_column else 3


def ttl(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def collect(folder: Path):
    themes: dict[int, dict[str, dict]] = defaultdict(dict)
    persons: dict[int, dict[str, dict]] = defaultdict(dict)
    for path in sorted(folder.glob("*.docx")):
        content = read_docx(path)
        for table in content.tables:
            found = header_of(table.rows)
            if found is None:
                continue
            start, cols = found
            rows = table.rows[start + 1:]
            labels, groups, coded = [], [], False
            for cells in rows:
                heading = heading_of(cells)
                if heading:
                    labels.append(theme_of(heading))
                    continue
                if cols.themes is None or cols.themes >= len(cells):
                    continue
                c = classify(cells[cols.themes])
                labels += c.themes
                groups += c.persons
            coded = any(t.code and t.code[0].isalpha() for t in labels)
            release = release_of(coded, cols.sdgs is not None)
            for t in labels:
                key = (t.code or slug(t.label))
                entry = themes[release].setdefault(key, {"label": t.label, "code": t.code, "sources": set()})
                if entry["label"].casefold() != t.label.casefold():
                    sys.exit(f"{path.name}: theme {key} is {t.label!r} here and {entry['label']!r} elsewhere")
                entry["sources"].add(path.name)
            for g in groups:
                entry = persons[release].setdefault(slug(g), {"label": g, "code": None, "sources": set()})
                entry["sources"].add(path.name)
    return themes, persons


def scheme_ttl(name: str, title: str, description: str, concepts: dict[str, dict],
               matches: dict[str, list[str]]) -> str:
    iri = f"{VOCAB}{name}"
    lines = [PREFIXES, f"<{iri}> a skos:ConceptScheme ;", f"    dct:title {ttl(title)}@en ;",
             f"    dct:description {ttl(description)}@en ;"]
    sources = sorted({s for c in concepts.values() for s in c["sources"]})
    lines.append("    dct:source " + " ,\n        ".join(f"<{SOURCE}{s}>" for s in sources) + " ;")
    lines.append("    skos:hasTopConcept " + " ,\n        ".join(f"<{iri}/{k}>" for k in sorted(concepts)) + " .")
    for key in sorted(concepts):
        c = concepts[key]
        node = f"<{iri}/{key}>"
        lines += ["", f"{node} a skos:Concept ;", f"    skos:inScheme <{iri}> ;", f"    skos:topConceptOf <{iri}> ;",
                  f"    skos:prefLabel {ttl(c['label'])}@en ;", f"    skos:notation {ttl(key)} ;"]
        if c["code"]:
            lines.append(f"    skos:altLabel {ttl(c['code'] + ' ' + c['label'])}@en ;")
        for other in matches.get(normalise_label(c["label"]).casefold(), []):
            if other != f"{iri}/{key}":
                lines.append(f"    skos:exactMatch <{other}> ;")
        lines.append("    dct:source " + " , ".join(f"<{SOURCE}{s}>" for s in sorted(c["sources"])) + " .")
    return "\n".join(lines) + "\n"


def sdg_ttl() -> str:
    iri = f"{VOCAB}sdg"
    lines = [PREFIXES, f"<{iri}> a skos:ConceptScheme ;", '    dct:title "Sustainable Development Goals"@en ;',
             '    dct:description "The 17 Sustainable Development Goals of the 2030 Agenda (General Assembly '
             'resolution 70/1), as OHCHR relates UPR recommendations to them in its thematic lists (\\"16 - PEACE, '
             'JUSTICE AND STRONG INSTITUTIONS\\"). Each goal is skos:exactMatch the UN\'s own IRI '
             'http://metadata.un.org/sdg/{n}; the notation is the goal\'s number."@en ;',
             "    dct:source <http://metadata.un.org/sdg/> ;",
             "    skos:hasTopConcept " + " ,\n        ".join(f"<{iri}/{n}>" for n in range(1, 18)) + " ."]
    for n, label in enumerate(SDGS, start=1):
        lines += ["", f"<{iri}/{n}> a skos:Concept ;", f"    skos:inScheme <{iri}> ;",
                  f"    skos:topConceptOf <{iri}> ;", f"    skos:prefLabel {ttl(label)}@en ;",
                  f"    skos:altLabel {ttl(f'Goal {n}')}@en ;",
                  f'    skos:notation "{n}" ;', f"    skos:exactMatch <http://metadata.un.org/sdg/{n}> ."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("matrices", nargs="?", default="../shared/data/ohchr-upr-matrices", type=Path)
    ap.add_argument("--out", default="ontology/vocab", type=Path)
    args = ap.parse_args(argv)
    themes, persons = collect(args.matrices)
    matches: dict[str, list[str]] = defaultdict(list)
    for kind, table in (("uhri-theme", themes), ("uhri-affected-persons", persons)):
        for release, concepts in table.items():
            for key, c in concepts.items():
                matches[(kind, normalise_label(c["label"]).casefold())].append(f"{VOCAB}{kind}-cycle{release}/{key}")
    for release in sorted(themes):
        name = f"uhri-theme-cycle{release}"
        text = scheme_ttl(name, f"UHRI themes ({ordinal(release)} cycle thematic lists)",
                          f"The human-rights themes of OHCHR's Universal Human Rights Index as used in OHCHR's UPR "
                          f"{RELEASES[release]}: the labels the shipped thematic lists use, each with the "
                          "documents it was read from. Labels shared with another release are skos:exactMatch.",
                          themes[release], {k[1]: v for k, v in matches.items() if k[0] == "uhri-theme"})
        (args.out / f"uhri-themes-cycle{release}.ttl").write_text(text, encoding="utf-8")
    for release in sorted(persons):
        name = f"uhri-affected-persons-cycle{release}"
        text = scheme_ttl(name, f"UHRI affected persons ({ordinal(release)} cycle thematic lists)",
                          f"The groups of persons (\"Affected persons\", \"Groups of Persons\") of OHCHR's Universal "
                          f"Human Rights Index as used in OHCHR's UPR {RELEASES[release]}: the labels the shipped "
                          "thematic lists use, each with the documents it was read from.",
                          persons[release], {k[1]: v for k, v in matches.items() if k[0] == "uhri-affected-persons"})
        (args.out / f"affected-persons-cycle{release}.ttl").write_text(text, encoding="utf-8")
    (args.out / "sdg.ttl").write_text(sdg_ttl(), encoding="utf-8")


if __name__ == "__main__":
    main()
