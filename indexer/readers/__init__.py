"""Readers by file type: `read_model(path)` picks the reader by extension and content and gives a DocumentModel.

The kind of a file is decided by its first bytes where they are unambiguous (`%PDF`; a zip holding `word/` or `xl/`
parts; `<html` or `<!doctype html`), else by its extension, so a PDF saved as `.txt` is still read as a PDF and a
text file named `.pdf` is refused rather than misread. Each kind has a size limit (`MAX_BYTES`); a file over it is
a `DocumentError` naming the file and the limit, before any reading. Readers are imported only when a file of
their kind is read, so a missing optional reader costs only those files.

>>> from pathlib import Path
>>> kind_of(Path("plan.md"), b"# Plan")
'markdown'
>>> kind_of(Path("plan.txt"), b"%PDF-1.7 ...")
'pdf'
"""

from __future__ import annotations

import zipfile
from importlib import import_module
from pathlib import Path

from graphkit.errors import DocumentError
from indexer.document import DocumentModel

MB = 1024 * 1024
# Per-file size limits, in bytes, by kind (stated in the README's "To add a plan"). A 100-page plan is a few MB
# as a PDF and under 1 MB as text; the limits leave room for scanned covers and embedded pictures.
MAX_BYTES = {
    "text": 20 * MB,
    "markdown": 20 * MB,
    "html": 20 * MB,
    "pdf": 100 * MB,
    "docx": 50 * MB,
    "xlsx": 50 * MB,
}
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".csv": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
TEXT_KINDS = ("text", "markdown")
# The reader module of each kind; text and markdown share one.
MODULES = {"text": "text", "markdown": "text", "html": "html", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
UNSUPPORTED = {
    ".doc": "an old Word file: save it as .docx (Word: File > Save As)",
    ".xls": "an old Excel file: save it as .xlsx (Excel: File > Save As)",
    ".rtf": "a rich-text file: save it as .docx or .txt",
    ".odt": "an OpenDocument text: save it as .docx",
    ".ods": "an OpenDocument sheet: save it as .xlsx",
    ".pptx": "a slide deck: save it as PDF",
}
SNIFF_BYTES = 2048


def supported_extensions() -> list[str]:
    return sorted(EXTENSIONS)


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def kind_of(path: Path, head: bytes) -> str:
    """The kind of a file ("text", "markdown", "html", "pdf", "docx", "xlsx") from its first bytes and its name.

    Raises
    ------
    DocumentError
        For a type graphkit cannot read (an old .doc, an unknown zip, an unknown extension).
    """
    suffix = path.suffix.lower()
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        if kind is None:
            raise DocumentError(f"{path.name}: a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file")
        return kind
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<?xml") and b"<html" in start):
        return "html"
    if suffix in UNSUPPORTED:
        raise DocumentError(f"{path.name}: unsupported file type ({UNSUPPORTED[suffix]})")
    kind = EXTENSIONS.get(suffix)
    if kind in ("pdf", "docx", "xlsx"):  # the name says binary, the bytes do not agree
        raise DocumentError(f"{path.name}: named {suffix} but its content is not a {kind.upper()} file")
    if kind is None and suffix:
        known = ", ".join(supported_extensions())
        raise DocumentError(f"{path.name}: unsupported file type {suffix!r} (graphkit reads {known})")
    return kind or "text"


def file_kind(path: Path) -> str:
    """`kind_of` for a file on disk (its first bytes read); a missing file is a DocumentError naming it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise DocumentError(f"{path.name}: file not found") from None
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from None
    return kind_of(path, head)


def check_size(path: Path, kind: str) -> None:
    """A DocumentError naming the file when it is over its kind's size limit."""
    size = path.stat().st_size
    limit = MAX_BYTES[kind]
    if size > limit:
        raise DocumentError(f"{path.name}: {size / MB:.1f} MB is over the {limit // MB} MB limit for {kind} files")


def read_model(path: Path) -> DocumentModel:
    """Read any supported file into its DocumentModel.

    Raises
    ------
    DocumentError
        For a missing, unsupported, over-size, empty or unreadable file, naming it.
    """
    kind = file_kind(path)
    check_size(path, kind)
    module_name = MODULES[kind]
    try:
        module = import_module(f"indexer.readers.{module_name}")
    except ModuleNotFoundError as exc:
        raise DocumentError(
            f"{path.name}: no {kind.upper()} reader is installed in this graphkit ({exc.name} is missing)"
        ) from None
    if module_name == "text":
        return module.read(path, markdown=kind == "markdown")
    return module.read(path)
