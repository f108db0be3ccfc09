"""Build the shipped reference tables (States, State aliases, UPR sessions) from the shared UN sources.

    python scripts/build_reference.py [SHARED_DATA_DIR] [--out DIR]

(with the package installed, e.g. `pip install -e . --no-deps`: it imports `rightsgraph.graph.reference`
so that the build and the runtime normalise names in exactly the same way).

The sources disagree and some are wrong (the regional-group YAML files list four States in two
groups; one ratification file has Montserrat instead of Gabon), so the tables are built here, once,
with every correction written down next to its reason, and shipped as small CSVs; the runtime module
`graph/reference.py` only reads them. The script fails (exit 1) if any State name found in a source
cannot be mapped to exactly one State, so a new source spelling cannot slip through unmapped.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import xlrd
import yaml
from docx import Document
from rightsgraph.graph.reference import LANGS, State, StateTable, normalise_name

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "rightsgraph" / "data" / "reference"

GROUP_FILES = {
    "AFRICANGROUP.yaml": "african",
    "ASIAPACIFICGROUP.yaml": "asia-pacific",
    "EEG.yaml": "eastern-european",
    "GRULAC.yaml": "grulac",
    "WEOG.yaml": "weog",
}
# UPR Info's "To-Rgrp"/"From-Rgrp" codes: an independent 2008-2013 statement of each State's group.
UPR_INFO_GROUPS = {"Africa": "african", "Asia": "asia-pacific", "EEG": "eastern-european",
                   "GRULAC": "grulac", "WEOG": "weog", "Observer": ""}


@dataclass(frozen=True)
class Correction:
    iso2: str
    action: str  # "remove" or "add"
    group: str
    reason: str


# Every change to the regional-group YAML files. The script checks that after these, each of the
# 193 members is in exactly one group, so an uncorrected error elsewhere stops the build.
CORRECTIONS: tuple[Correction, ...] = (
    Correction("AM", "remove", "asia-pacific",
               "Armenia is in the Eastern European Group (also listed in EEG.yaml, and 'EEG' in UPR Info); "
               "M49 places it in Western Asia, which is probably how it got into the Asia-Pacific list."),
    Correction("AZ", "remove", "asia-pacific",
               "Azerbaijan is in the Eastern European Group (also listed in EEG.yaml, and 'EEG' in UPR "
               "Info); M49 Western Asia is geography, not the UN electoral group."),
    Correction("AU", "remove", "asia-pacific",
               "Australia is in WEOG (also listed in WEOG.yaml, and 'WEOG' in UPR Info); M49 Oceania is "
               "geography, not the UN electoral group."),
    Correction("NZ", "remove", "asia-pacific",
               "New Zealand is in WEOG (also listed in WEOG.yaml, and 'WEOG' in UPR Info); M49 Oceania is "
               "geography, not the UN electoral group."),
    Correction("PS", "add", "asia-pacific",
               "The State of Palestine (observer State) has been a full member of the Asia-Pacific Group "
               "since 1986 (as the PLO); the YAML files list member States only. UPR Info marks it "
               "'Observer'."),
)

NOTES = {
    "ISR": "WEOG: in the Western European and Others Group (New York since 2000, Geneva since 2014) although "
           "geographically in Asia; not admitted to the Asia-Pacific Group.",
    "KIR": "Asia-Pacific Group since 2010; before that Kiribati belonged to no regional group.",
    "USA": "Attends WEOG as an observer but is counted with WEOG for electoral purposes.",
    "TUR": "WEOG for electoral purposes; also takes part in the Asia-Pacific Group's meetings.",
    "CYP": "Asia-Pacific Group (M49 Western Asia) although an EU member State.",
    "PSE": "Observer State; full member of the Asia-Pacific Group since 1986.",
    "VAT": "Observer State; member of no regional group.",
}

# Source spellings that the UN names, M49 and the sources' own codes do not settle, checked by hand.
MANUAL_ALIASES = {
    "Bolivia": "BOL", "Bolivia (Plurinational S tate of)": "BOL",  # PDF-extraction space in "State"
    "Cape Verde": "CPV", "Ivory Coast": "CIV", "Czech Republic": "CZE",
    "DPR Korea": "PRK", "North Korea": "PRK", "South Korea": "KOR",
    "Democratic Republic of Congo": "COD", "Congo, The Democratic Republic of the": "COD",
    "Congo, Democratic Republic of the": "COD", "Republic of Congo": "COG",
    "East Timor": "TLS", "Iran": "IRN", "Laos": "LAO", "Syria": "SYR",
    "Macedonia FYR": "MKD", "the former Yugoslav Republic of Macedonia": "MKD",
    "Micronesia": "FSM", "Micronesia, Federated States of": "FSM", "Moldova": "MDA",
    "Moldova, Republic of": "MDA", "Netherlands": "NLD", "Netherlands, Kingdom of the": "NLD",
    "Palestine": "PSE", "Russia": "RUS", "Swaziland": "SWZ", "Tanzania": "TZA",
    "Tanzania, United Republic of": "TZA", "Turkey": "TUR", "United Kingdom": "GBR",
    "United States": "USA", "Venezuela": "VEN", "Venezuela, Bolivarian Republic of": "VEN",
    "Bolivia, Plurinational State of": "BOL", "Iran, Islamic Republic of": "IRN",
    "Korea, Republic of": "KOR", "Korea, Democratic People's Republic of": "PRK",
    "Egypt, Arab Rep.": "EGY", "Sierra Le one": "SLE",  # PDF-extraction space in "Leone"
}

# Text found where State names stand that is not a State: it is left unmapped on purpose.
NOT_STATES = {
    "(Unknown)": "UPR Info's placeholder for an unidentified recommending State",
    "Montserrat": "a territory, not a State: hr_status_op_crc_ic.csv lists it (code MS) and omits Gabon",
    "Cook Islands": "party to ICESCR but not a UN member or observer State",
    "Niue": "party to ICESCR but not a UN member or observer State",
    "European Union": "an organisation",
    "No. 29": "ILO convention number in brackets at the end of a recommendation",
    "No. 189": "ILO convention number in brackets at the end of a recommendation",
    "ICRMW": "treaty acronym", "CAT": "treaty acronym", "CEDAW": "treaty acronym",
    "CRPD": "treaty acronym", "OP-CAT": "treaty acronym", "ICCPR-OP 2": "treaty acronym",
    "WHO": "organisation acronym", "European Convention on Human Rights": "a treaty",
    "Istanbul Convention": "a treaty", "the Nelson Mandela Rules": "UN standard rules",
    "ECW/CCJ/JUD/40/45": "a court judgment symbol", "2022–2032": "a period", "2024-2030": "a period",
}
NOT_STATE_KEYS = {normalise_name(k) for k in NOT_STATES}

# Codes the sources attach to names, which are wrong or obsolete (the name is mapped instead).
BAD_CODES = {
    "S": "ratification: 'S' for South Sudan (SS)",
    "TP": "ratification: obsolete ISO code of East Timor",
}


@dataclass(frozen=True)
class Variant:
    """One spelling of a State as it appears in one source, with the source's own code if it has one."""

    text: str
    source: str
    code: str = ""


# ---------------------------------------------------------------------------------------------------
# reading the sources


def read_m49(data: Path) -> dict[str, dict[str, str]]:
    """M49 rows by ISO alpha-3 (the file is `;`-separated with a BOM)."""
    text = (data / "reference" / "UNSD-M49-methodology.csv").read_text(encoding="utf-8-sig")
    rows = csv.DictReader(io.StringIO(text), delimiter=";")
    return {r["ISO-alpha3 Code"]: r for r in rows if r["ISO-alpha3 Code"]}


def _clean_un_name(value: str | None) -> str:
    """A UN name without the footnote asterisks and the bracketed article ("Congo (the)" -> "Congo")."""
    value = (value or "").strip().rstrip("*").strip()
    return re.sub(r"\s*\((?:the|The|l['\u2019]|le|la|les|Les|el|los|las)\)$", "", value).strip()


def read_un_names(data: Path) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(status, short names, formal names) per row of the six-language UN names table.

    Rows without an asterisk are the 193 members; "*" marks observer States and "**" members of
    specialised agencies only (Cook Islands, Niue), which are not States for the UPR.
    """
    wb = load_xlsx(data / "reference" / "un-country-names-6-languages.xlsx")
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    out = []
    for row in rows[1:]:
        en = (row[0] or "").strip()
        if not en or en.startswith("*"):
            continue
        status = "other" if en.endswith("**") else "observer-state" if en.endswith("*") else "member"
        names = {lang: _clean_un_name(row[i]) for i, lang in enumerate(LANGS)}
        formal = {lang: (row[6 + i] or "").strip().rstrip("*").strip() for i, lang in enumerate(LANGS)}
        for lang in LANGS:
            if not names[lang] and formal[lang]:
                # The Russian short name of the United Kingdom is empty in the xlsx; UN terminology uses
                # the formal name there (as the Chinese and Arabic columns of the same row do).
                names[lang] = re.sub(r"^(?:the|le|la|les|el|los|las) ", "", formal[lang])
                print(f"filled: {names['en']} short name [{lang}] from the formal name", file=sys.stderr)
        out.append((status, names, formal))
    return out


def read_group_files(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Group -> [(ISO alpha-2, name)] as the YAML files state it, before any correction."""
    out = {}
    for file, group in GROUP_FILES.items():
        doc = yaml.safe_load((data / "reference" / "regional-groups" / file).read_text(encoding="utf-8"))
        out[group] = [(m["id"], m["name"]) for m in doc["includes"]]
    return out


def read_upr_info(path: Path) -> list[dict[str, str]]:
    """A UPR Info export: Mac Roman, CR line endings."""
    text = path.read_bytes().decode("mac_roman")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def split_top_level(text: str, seps: str = ",;") -> list[str]:
    """Split at separators outside brackets: "Senegal, Venezuela (Bolivarian Republic of), Peru"."""
    parts, depth, cur = [], 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")" and depth > 0)
        if depth == 0 and ch in seps:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def trailing_brackets(segment: str) -> list[str]:
    """The bracketed groups that end a recommendation: "... (France) (Lithuania);" -> [France, Lithuania]."""
    s, groups = segment.rstrip(" \t\r\n.;,"), []
    while s.endswith(")"):
        depth = 0
        for i in range(len(s) - 1, -1, -1):
            depth += (s[i] == ")") - (s[i] == "(")
            if depth == 0:
                break
        if depth:
            break
        groups.append(s[i + 1:-1])
        s = s[:i].rstrip()
    return groups[::-1]


def recommending_states_in_text(text: str) -> list[str]:
    """Candidate recommending States named in brackets at the end of each recommendation in `text`."""
    text = re.split(r"Source of [Pp]osition", text)[0]
    return [name for seg in split_top_level(text, ";") for group in trailing_brackets(seg)
            for name in split_top_level(group)]


def load_xlsx(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():  # "Data Validation extension is not supported": harmless here
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path)


def _upr_info_variants(data: Path) -> Iterator[Variant]:
    for path in sorted((data / "upr-info").glob("*.csv")):
        for row in read_upr_info(path):
            for col in ("To", "From"):
                yield Variant(row[col], f"upr-info/{path.name}")
    book = xlrd.open_workbook(data / "upr-info" / "1-5.xls", ignore_workbook_corruption=True)
    sheet = book.sheet_by_index(0)
    header = sheet.row_values(0)
    for i in range(1, sheet.nrows):
        for col in ("SuR", "RS"):
            yield Variant(str(sheet.cell_value(i, header.index(col))), "upr-info/1-5.xls")


def _uhri_variants(data: Path) -> Iterator[Variant]:
    source = "uhri/uhri-export-upr-10-states.csv"
    with (data / source).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield Variant(row["countries_concerned"], source)
            for cell in split_top_level(row["upr_reccomending_states"]):
                for name in cell.split(" - "):
                    yield Variant(name, source)
            for name in recommending_states_in_text(row["text"]):
                yield Variant(name, source)


def _docx_variants(data: Path) -> Iterator[Variant]:
    for path in sorted((data / "ohchr-upr-matrices").glob("*.docx")):
        source = f"ohchr-upr-matrices/{path.name}"
        for table in Document(str(path)).tables:
            header = [c.text.strip().lower() for c in table.rows[0].cells]
            rs_col = next((i for i, h in enumerate(header) if h.startswith("recommending state")), None)
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                if cells[0].startswith("Theme:") or cells[0].startswith("Right or area:"):
                    continue
                if rs_col is not None:
                    names = split_top_level(cells[rs_col])
                else:
                    names = recommending_states_in_text(cells[0])
                for name in names:
                    yield Variant(name, source)


def _reference_variants(data: Path) -> Iterator[Variant]:
    source = "reference/upr-states-reviewed-sessions01-20.csv"
    with (data / source).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield Variant(row["To"], source)
    for path in sorted((data / "reference" / "ratification").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))):
            yield Variant(row["member"], f"reference/ratification/{path.name}", row["iso2"].strip())
    book = xlrd.open_workbook(data / "reference" / "ratification" / "ohchr-underlying-data-ICESCR.xls",
                              ignore_workbook_corruption=True)
    sheet = book.sheet_by_index(0)
    for i in range(2, sheet.nrows):
        name = str(sheet.cell_value(i, 0)).strip()
        if not name:
            break
        yield Variant(name, "reference/ratification/ohchr-underlying-data-ICESCR.xls")
    source = "reference/upr-timeline-sessions52-54.xlsx"
    wb = load_xlsx(data / source)
    for row in list(wb["All"].iter_rows(values_only=True))[1:]:
        if row[1] and row[1] != "All":
            yield Variant(str(row[1]), source)
    for row in list(wb["sessions_info"].iter_rows(values_only=True))[1:]:
        cell = re.sub(r"\s*<br>\s*", " ", str(row[1] or "")).replace("**", "")
        for name in split_top_level(cell, ","):
            yield Variant(name, source)
    source = "treaty-bodies/ccpr-followup-assessments.json"
    for entry in json.loads((data / source).read_text(encoding="utf-8")).values():
        yield Variant(entry["name"], source, entry["code"])
    for file, _ in GROUP_FILES.items():
        doc = yaml.safe_load((data / "reference" / "regional-groups" / file).read_text(encoding="utf-8"))
        for m in doc["includes"]:
            yield Variant(m["name"], f"reference/regional-groups/{file}", m["id"])


def collect_variants(data: Path) -> list[Variant]:
    """Every State spelling in the shipped sources that a loader may have to resolve.

    The HRC resolutions workbook (hrc/unhrc-resolutions-2006-2022.ods) is left out on purpose: its
    'geo' sheet is a list of search fragments for resolution titles ("Kitts", "Barbuda", "Korea",
    "Xinjiang"), some in the wrong alphabetical slot, not names of States.
    """
    out = []
    for reader in (_upr_info_variants, _uhri_variants, _docx_variants, _reference_variants):
        out += [Variant(v.text.strip(), v.source, v.code) for v in reader(data) if v.text.strip()]
    return out


# ---------------------------------------------------------------------------------------------------
# building the tables


def build_states(data: Path) -> tuple[list[State], dict[str, str]]:
    """The States (without aliases) and the regional group of every ISO alpha-2 code."""
    m49 = read_m49(data)
    by_name = {normalise_name(r["Country or Area"]): iso3 for iso3, r in m49.items()}
    groups = apply_corrections(read_group_files(data))
    states = []
    for status, names, formal in read_un_names(data):
        if status == "other":
            continue  # Cook Islands, Niue: not in any UPR source
        iso3 = by_name.get(normalise_name(names["en"]))
        if iso3 is None:
            raise SystemExit(f"no M49 row for UN name {names['en']!r}")
        row = m49[iso3]
        states.append(State(
            iso3=iso3, iso2=row["ISO-alpha2 Code"], m49=row["M49 Code"].zfill(3), un_status=status,
            regional_group=groups.get(row["ISO-alpha2 Code"]), names=names, formal=formal,
            note=NOTES.get(iso3, ""),
        ))
    return sorted(states, key=lambda s: s.iso3), groups


def apply_corrections(files: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """ISO alpha-2 -> group after CORRECTIONS; fails if a State is still in two groups."""
    members: dict[str, set[str]] = {g: {code for code, _ in ms} for g, ms in files.items()}
    for c in CORRECTIONS:
        if c.action == "remove":
            members[c.group].remove(c.iso2)  # KeyError: the correction no longer applies
        else:
            members[c.group].add(c.iso2)
    out: dict[str, str] = {}
    for group, codes in members.items():
        for code in codes:
            if code in out:
                raise SystemExit(f"{code} is in both {out[code]} and {group}: add a correction")
            out[code] = group
    return out


def resolve_variants(variants: list[Variant], states: list[State], m49: dict[str, dict[str, str]]
                     ) -> tuple[dict[str, tuple[str, set[str]]], list[str]]:
    """alias -> (iso3, sources), and the problems found (unmapped names, code/name disagreements)."""
    base = StateTable(states)
    iso2_to_iso3 = {r["ISO-alpha2 Code"]: iso3 for iso3, r in m49.items()}
    manual = {normalise_name(k): v for k, v in MANUAL_ALIASES.items()}
    known = {s.iso3 for s in states}
    aliases: dict[str, tuple[str, set[str]]] = {}
    problems = []
    for v in variants:
        key = normalise_name(v.text)
        if key in NOT_STATE_KEYS:
            continue
        found = base.resolve(v.text)
        iso3 = found.iso3 if found else manual.get(key)
        by_code = None
        if v.code and v.code not in BAD_CODES:
            by_code = v.code if len(v.code) == 3 else iso2_to_iso3.get(v.code)
        if iso3 and by_code and by_code != iso3:
            problems.append(f"{v.source}: {v.text!r} is {iso3} by name but {by_code} by its code {v.code}")
        iso3 = iso3 or (by_code if by_code in known else None)
        if iso3 is None:
            problems.append(f"{v.source}: no State for {v.text!r}")
            continue
        prev = aliases.setdefault(v.text, (iso3, set()))
        if prev[0] != iso3:
            problems.append(f"{v.source}: {v.text!r} is {iso3} here but {prev[0]} in {sorted(prev[1])}")
        prev[1].add(v.source)
    return aliases, problems


def check_groups(states: list[State], data: Path) -> list[str]:
    """Cross-checks of the corrected groups: counts, M49 regions and UPR Info's own group codes."""
    report = []
    members = [s for s in states if s.un_status == "member"]
    ungrouped = [s.iso3 for s in members if not s.regional_group]
    if len(members) != 193 or ungrouped:
        raise SystemExit(f"{len(members)} members; without a group: {ungrouped}")
    counts: dict[str, int] = defaultdict(int)
    for s in members:
        counts[s.regional_group or ""] += 1
    report.append("members per group: " + ", ".join(f"{g} {n}" for g, n in sorted(counts.items())))
    m49 = read_m49(data)
    usual = {"Africa": {"african"}, "Americas": {"grulac"}, "Asia": {"asia-pacific"},
             "Oceania": {"asia-pacific"}, "Europe": {"weog", "eastern-european"}}
    for s in states:
        region = m49[s.iso3]["Region Name"]
        if s.regional_group not in usual.get(region, set()):
            report.append(f"M49 {region} / {m49[s.iso3]['Sub-region Name']}: {s} in {s.regional_group}")
    table = StateTable(states)
    seen = {}
    for path in sorted((data / "upr-info").glob("*.csv")):
        for row in read_upr_info(path):
            for col in ("To", "From"):
                seen[row[col]] = UPR_INFO_GROUPS.get(row[f"{col}-Rgrp"], "?")
    for name, group in sorted(seen.items()):
        state = table.resolve(name)
        if state is None and name in MANUAL_ALIASES:
            state = table.by_iso3(MANUAL_ALIASES[name])
        if state and (state.regional_group or "") != group:
            report.append(f"UPR Info puts {name!r} in {group or 'no group'!r}; here {state.regional_group}")
    return report


def build_sessions(data: Path) -> list[dict[str, object]]:
    """UPR sessions 1-53 from upr-sessions.csv, and 54 from the year of its Working Group meeting."""
    with (data / "reference" / "upr-sessions.csv").open(encoding="utf-8") as f:
        rows = [{"session": int(r["session"]), "year": int(r["year"]), "source": "reference/upr-sessions.csv"}
                for r in csv.DictReader(f)]
    wb = load_xlsx(data / "reference" / "upr-timeline-sessions52-54.xlsx")
    wg = {int(re.match(r"\d+", str(r[2]).strip()).group()): r[3]
          for r in list(wb["All"].iter_rows(values_only=True))[1:] if r[0] and "UPR Working Group" in r[0]}
    have = {r["session"]: r for r in rows}
    for n, when in sorted(wg.items()):
        timeline = f"reference/upr-timeline-sessions52-54.xlsx (Working Group {when:%Y-%m-%d})"
        if n not in have:
            have[n] = {"session": n, "year": when.year, "source": timeline}
        elif have[n]["year"] == when.year:
            have[n]["source"] = f"{have[n]['source']}; {timeline}"
        else:
            raise SystemExit(f"session {n}: upr-sessions.csv says {have[n]['year']}, {timeline}")
    out = []
    for n in sorted(have):
        out.append({**have[n], "cycle": cycle_of(n)})
    return out


def cycle_of(session: int) -> int:
    """UPR cycles: 1 = sessions 1-12, 2 = 13-26, 3 = 27-40, 4 = 41-54."""
    for cycle, last in enumerate((12, 26, 40, 54), start=1):
        if session <= last:
            return cycle
    raise ValueError(f"session {session} is beyond cycle 4")


# ---------------------------------------------------------------------------------------------------
# writing


SOURCE_TAGS = (  # short names for the `seen_in` column, most specific first
    ("upr-info/1-5.xls", "upr-info-xls"), ("upr-info/", "upr-info"), ("uhri/", "uhri"),
    ("ohchr-upr-matrices/", "ohchr-matrices"), ("reference/upr-states-reviewed", "upr-states-reviewed"),
    ("reference/ratification/ohchr-", "ohchr-icescr"), ("reference/ratification/", "ratification"),
    ("reference/upr-timeline", "upr-timeline"), ("treaty-bodies/", "ccpr-followup"),
    ("reference/regional-groups/", "regional-groups"),
)


def source_tag(source: str) -> str:
    return next(tag for prefix, tag in SOURCE_TAGS if source.startswith(prefix))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help="the shared data directory")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    data: Path = args.data

    states, _ = build_states(data)
    aliases, problems = resolve_variants(collect_variants(data), states, read_m49(data))
    for line in check_groups(states, data):
        print("check:", line)
    if problems:
        print("\n".join(sorted(set(problems))), file=sys.stderr)
        return 1
    full = [State(**{**s.__dict__, "aliases": tuple(a for a, (i, _) in aliases.items() if i == s.iso3)})
            for s in states]
    StateTable(full)  # raises if one alias would name two States
    sessions = build_sessions(data)

    args.out.mkdir(parents=True, exist_ok=True)
    cols = ["iso3", "iso2", "m49", "un_status", "regional_group"]
    write_csv(args.out / "states.csv",
              cols + [f"name_{lang}" for lang in LANGS] + [f"formal_{lang}" for lang in LANGS] + ["note"],
              [[s.iso3, s.iso2, s.m49, s.un_status, s.regional_group or ""]
               + [s.names.get(lang, "") for lang in LANGS] + [s.formal.get(lang, "") for lang in LANGS]
               + [s.note] for s in states])
    alias_rows = [[a, i, " ".join(sorted({source_tag(x) for x in src}))] for a, (i, src) in aliases.items()]
    write_csv(args.out / "state-aliases.csv", ["alias", "iso3", "seen_in"],
              sorted(alias_rows, key=lambda r: (r[1], r[0].casefold(), r[0])))
    write_csv(args.out / "upr-sessions.csv", ["session", "year", "cycle", "source"],
              [[r["session"], r["year"], r["cycle"], r["source"]] for r in sessions])
    print(f"{len(states)} States ({sum(s.un_status == 'member' for s in states)} members), "
          f"{len(aliases)} aliases, {len(sessions)} UPR sessions, {len(CORRECTIONS)} group corrections "
          f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["CORRECTIONS", "NOT_STATES", "Variant", "collect_variants", "main", "recommending_states_in_text"]
