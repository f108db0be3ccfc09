"""Reading Word documents (DOCX) as tables of text, for loaders of tabular UN documents.

python-docx repeats a horizontally merged cell once per grid column (`row.cells`); the OHCHR
matrices merge a theme heading across the whole row, so cells are read from the row's own `<w:tc>`
elements instead: one string per cell as the author made it. The running page header and the
paragraphs outside tables are kept too, because that is where a document names what it is about
("UPR of China (2nd Cycle - 17th session)").
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .base import LoadError

DOCX_MAGIC = b"PK\x03\x04"


@dataclass
class DocxTable:
    index: int  # 1-based, in document order
    rows: list[list[str]]


@dataclass
class DocxContent:
    path: Path
    tables: list[DocxTable] = field(default_factory=list)
    header_text: list[str] = field(default_factory=list)  # page headers and footers, first section first
    body_text: list[str] = field(default_factory=list)  # paragraphs outside tables
    title: str = ""  # the document's core property "title", if set

    @property
    def context_text(self) -> str:
        """Everything outside the tables, as one text to search for a document's own description."""
        return "\n".join([self.title, *self.header_text, *self.body_text])


def is_docx(path: Path) -> bool:
    """A zip archive holding word/document.xml (cheap: reads the central directory only)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != DOCX_MAGIC:
                return False
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _cell_text(tc, table) -> str:
    from docx.table import _Cell

    return _Cell(tc, table).text


def read_docx(path: Path) -> DocxContent:
    """All tables (rows of cell texts), page headers and loose paragraphs of a DOCX file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not is_docx(path):
        raise LoadError(path, "", "not a Word document (.docx): not a zip archive with word/document.xml")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LoadError(path, "", f"unreadable Word document ({type(exc).__name__}: {exc})") from None
    content = DocxContent(path, title=(document.core_properties.title or "").strip())
    for n, table in enumerate(document.tables, start=1):
        rows = [[_cell_text(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        content.tables.append(DocxTable(n, rows))
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            try:
                if part.is_linked_to_previous and section is not document.sections[0]:
                    continue
                texts = [p.text for p in part.paragraphs]
                texts += [_cell_text(tc, t) for t in part.tables for tr in t._tbl.tr_lst for tc in tr.tc_lst]
                texts += _text_boxes(part._element)
            except (AttributeError, KeyError, ValueError):
                continue
            for text in texts:
                if text.strip() and text not in seen:
                    seen.add(text)
                    content.header_text.append(text)
    content.body_text = [p.text for p in document.paragraphs if p.text.strip()]
    content.body_text += [t for t in _text_boxes(document.element.body) if t.strip()]
    return content


def _text_boxes(element) -> list[str]:
    """The paragraphs of text boxes (w:txbxContent), which python-docx's `.paragraphs` skips: some
    matrices put the page header "UPR of X (3rd Cycle - 31st session)" in one. A text box of a drawing
    is often repeated as its VML fallback, so each text is kept once."""
    out: list[str] = []
    for p in element.xpath(".//w:txbxContent//w:p"):
        text = "".join(t.text or "" for t in p.xpath(".//w:t"))
        if text.strip() and text not in out:
            out.append(text)
    return out
