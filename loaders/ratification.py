"""Ratification status of the core human-rights instruments (`hr_status_<instrument>.csv`).

One file per instrument, one row per UN member State: iso2, member, state party, year ratification
or accession, signatory, no action, status, note (world-politics-datalab, 2022; see README-source.md).
Each row becomes one `rg:TreatyStatus` (State x instrument) or a rejection, so the 18 files give
193 x 18 cells, every one a record or a rejection, and a UN member State without a row is reported.

How the files' mistakes are handled (all seen in the shipped copies):

* the State is resolved from its name *and* its ISO2 code; a code the reference does not know
  ("TP" for Timor-Leste, "S" for South Sudan) is fine if the name is known, but a code and a name
  naming two different States is a rejection, and so is a name nobody knows ("Montserrat", which
  stands where Gabon should be in the OP-CRC-IC file);
* the `status` column decides. Where the 0/1 flags contradict it (Belgium "state party" with
  state party = 0), the record keeps the status and carries a `skos:editorialNote` saying so;
* the source gives years only, of ratification or accession without saying which: `rg:partySince`
  is a year. A note saying the State denounced the instrument ("Denounced the OP 1997") becomes
  `rg:denouncedIn`; the status is kept as given, with the note.
"""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import Triple

from ..graph import vocab
from ..graph.iris import vocab as vocab_iri
from ..graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG, SKOS
from ..graph.rdf import gyear, lit, triple
from ..graph.reference import State, StateTable, states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .registry import register
from .tables import head_line, read_table

HEADER = ("iso2", "member", "state party", "year ratification or accession", "signatory", "no action",
          "status")
SOURCE = "https://w3id.org/rightsgraph/source/ratification-status"
# The shared data's README dates these files to 2022; a newer copy is loaded with `--option as_of=YYYY`.
DEFAULT_AS_OF = "2022"
_FILE = re.compile(r"^hr_status_([a-z0-9_]+)\.csv$", re.IGNORECASE)
_DENOUNCED = re.compile(r"\bdenounced\b\D*?(\d{4})", re.IGNORECASE)
_FLAG_COLUMNS = ("state party", "signatory", "no action")
_FLAGS = {"party": ("1", "0", "0"), "signatory": ("0", "1", "0"), "no-action": ("0", "0", "1")}


def instrument_of(path: Path, option: str | None) -> str:
    """The instrument notation, from `--option instrument=` or from the file name."""
    code = option
    if not code:
        m = _FILE.match(path.name)
        if not m:
            raise LoadError(path, "file name", "cannot tell the instrument: name the file hr_status_<code>.csv "
                                               "or give --option instrument=<code> (e.g. cat, iccpr-op1)")
        code = m.group(1)
    notation = code.strip().lower().replace("_", "-")
    concept = vocab.concept_for("treaty-instrument", notation)
    if concept is None:
        known = ", ".join(c.rsplit("/", 1)[1] for c in vocab.concepts("treaty-instrument"))
        raise LoadError(path, "file name", f"{code!r} is not one of the 18 instruments ({known})")
    return concept.rsplit("/", 1)[1]


@register
class RatificationLoader(Loader):
    name = "ratification-status"
    version = "1"
    description = ("Ratification status of one core human-rights instrument for the UN member States "
                   "(hr_status_<instrument>.csv: iso2, member, state party, year, signatory, no action, status, note)")
    extensions = (".csv",)

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv":
            return False
        header = tuple(h.strip().lower() for h in head_line(path).split(","))
        return header[: len(HEADER)] == HEADER

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        instrument = instrument_of(path, ctx.options.get("instrument"))
        as_of = ctx.options.get("as_of", DEFAULT_AS_OF)
        if not re.fullmatch(r"\d{4}", as_of):
            raise LoadError(path, "option as_of", f"{as_of!r} is not a year (YYYY)")
        table = read_table(path)
        header = tuple(h.lower() for h in table.header)
        if header[: len(HEADER)] != HEADER:
            raise LoadError(path, "row 1 (header)", "not a ratification-status file: the header must start "
                                                     f"with {', '.join(HEADER)} (found: {', '.join(table.header)})")
        result = LoadResult(path, self.name, self.graph_key(path))
        graph = ctx.iris.graph(result.graph_key)
        table_states = states()
        by_iso2 = {s.iso2: s for s in table_states if s.iso2}
        seen: dict[str, int] = {}
        rows = table.rows[: ctx.limit] if ctx.limit else table.rows
        for rownum, cells in rows:
            result.rows_read += 1
            try:
                if len(cells) < len(HEADER) or len(cells) > len(table.header) and any(
                        c.strip() for c in cells[len(table.header):]):
                    raise RowRejected(f"row has {len(cells)} cells where the header has {len(table.header)}")
                state = self._state(cells, table_states, by_iso2)
                if state.iso3 in seen:
                    raise RowRejected(f"second row for {state} (first in row {seen[state.iso3]})")
                triples, note = self._record(cells, state, instrument, as_of, ctx, path.name, rownum, graph)
            except RowRejected as exc:
                result.reject(rownum, str(exc))
                continue
            seen[state.iso3] = rownum
            result.triples += triples
            result.rows_loaded += 1
            result.records["treaty-status record"] += 1
            if note:
                result.notes.append(f"row {rownum}: {note}")
        if ctx.limit is None:
            for member in sorted(table_states.members(), key=lambda s: s.iso3):
                if member.iso3 not in seen:
                    result.triples += self._gap(member, instrument, as_of, ctx, path.name, graph)
                    result.records["no-row record"] += 1
                    result.notes.append(f"no row for {member}, a UN member State: its status under "
                                        f"{instrument} is recorded as not given by this file")
        return result

    @staticmethod
    def _gap(state: State, instrument: str, as_of: str, ctx: LoadContext, file_name: str,
             graph: str) -> list[Triple]:
        """The cell of a UN member State the file has no row for: a record that says so, no status.

        Keeps "193 States x 18 instruments, every cell a record or a rejection" true and visible
        in the graph instead of a silent hole (Gabon is missing from the OP-CRC-IC file).
        """
        node = ctx.iris.treaty_status(state.iso3, instrument)
        return [
            triple(node, RDF.type, RG.TreatyStatus),
            triple(node, RG.concernsState, ctx.iris.state(state.iso3)),
            triple(node, RG.instrument, vocab_iri("treaty-instrument", instrument)),
            triple(node, RG.asOf, gyear(int(as_of))),
            triple(node, RDFS.label, lit(f"{state.name}: status under {instrument.upper()} not given", lang="en")),
            triple(node, SKOS.editorialNote, lit(f"{file_name} has no row for this UN member State, so its "
                                                 "status under the instrument is unknown from this source.",
                                                 lang="en")),
            triple(node, DCTERMS.source, SOURCE),
            triple(node, RG.sourceRecord, lit(f"{file_name}#row=none")),
            triple(node, PROV.wasDerivedFrom, graph),
        ]

    @staticmethod
    def _state(cells: list[str], table_states: StateTable, by_iso2: dict[str, State]) -> State:
        code, name = cells[0].strip().upper(), cells[1].strip()
        by_name = table_states.resolve(name)
        by_code = by_iso2.get(code)
        if by_name and by_code and by_name.iso3 != by_code.iso3:
            raise RowRejected(f"ISO2 code {code!r} is {by_code} but the name {name!r} is {by_name}")
        state = by_name or by_code
        if state is None:
            raise RowRejected(f"unknown State {name!r} (ISO2 {code!r}): not a State of the reference data")
        if state.un_status != "member":
            raise RowRejected(f"{state} is not a UN member State; these files cover UN member States only")
        return state

    @staticmethod
    def _record(cells: list[str], state: State, instrument: str, as_of: str, ctx: LoadContext,
                file_name: str, rownum: int, graph: str) -> tuple[list[Triple], str | None]:
        flags = (cells[2].strip(), cells[4].strip(), cells[5].strip())
        year, status_text = cells[3].strip(), cells[6].strip()
        note = cells[7].strip() if len(cells) > 7 else ""
        status = vocab.concept_for("party-status", status_text)
        if status is None:
            raise RowRejected(f"status {status_text!r} is not one of: state party, signatory state, no action")
        notation = status.rsplit("/", 1)[1]
        if year and not (re.fullmatch(r"\d{4}", year) and 1945 <= int(year) <= 2100):
            raise RowRejected(f"year {year!r} is not a year (YYYY)")
        if year and notation != "party":
            raise RowRejected(f"year {year} is given for a State whose status is {status_text!r}, not a party")
        node = ctx.iris.treaty_status(state.iso3, instrument)
        instrument_iri = vocab_iri("treaty-instrument", instrument)
        label = f"{state.name}: {vocab.label(status)} under {instrument.upper()}" + (f" ({year})" if year else "")
        out = [
            triple(node, RDF.type, RG.TreatyStatus),
            triple(node, RG.concernsState, ctx.iris.state(state.iso3)),
            triple(node, RG.instrument, instrument_iri),
            triple(node, RG.treatyStatus, status),
            triple(node, RG.asOf, gyear(int(as_of))),
            triple(node, RDFS.label, lit(label, lang="en")),
            triple(node, DCTERMS.source, SOURCE),
            triple(node, RG.sourceRecord, lit(f"{file_name}#row={rownum}")),
            triple(node, PROV.wasDerivedFrom, graph),
        ]
        if year:
            out.append(triple(node, RG.partySince, gyear(int(year))))
        if note:
            out.append(triple(node, SKOS.note, lit(note, lang="en")))
            denounced = _DENOUNCED.search(note)
            if denounced:
                out.append(triple(node, RG.denouncedIn, gyear(int(denounced.group(1)))))
        problem = None
        if flags != _FLAGS[notation]:
            shown = ", ".join(f"{h}={v or 'blank'}" for h, v in zip(_FLAG_COLUMNS, flags, strict=True))
            problem = (f"the source's flags ({shown}) contradict its status {status_text!r}; "
                       "the status column is kept")
            if notation == "party" and not year:
                problem += " (and no year of ratification or accession is given)"
            out.append(triple(node, SKOS.editorialNote, lit(problem, lang="en")))
        return out, (f"{state}: {problem}" if problem else None)
