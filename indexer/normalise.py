"""Line-preserving cleanup: decode a document, strip HTML and page residue from cells, keep line numbers."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from graphkit.errors import DocumentError
from indexer.base import Line

TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
SPACE = re.compile(r"\s+")
BINARY_SAMPLE = 8192


def clean_text(value: str) -> str:
    """Remove HTML tags (also entity-escaped ones), entities, markdown emphasis; fold white space.

    >>> clean_text('<p style="x">We will &amp; <b>can</b></p> <p>go</p>')
    'We will & can go'
    >>> clean_text('&lt;p&gt;Hello&lt;/p&gt;')
    'Hello'
    >>> clean_text('#### **OUTCOME 1**')
    'OUTCOME 1'
    """
    text = TAG.sub(" ", value)
    text = html.unescape(text)
    text = TAG.sub(" ", text)  # tags that were printed escaped (&lt;p&gt;)
    text = MARKDOWN_HEADING.sub("", text)
    text = MARKDOWN_EMPHASIS.sub(r"\2", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return SPACE.sub(" ", text).strip()


def fit(text: str, width: int) -> str:
    """Text on one line (white space folded), cut to `width` characters with an ellipsis marking the cut.

    >>> fit("Offer   independent   advocacy", 18)
    'Offer independent…'
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else cp1252; binary files are refused.

    Raises
    ------
    DocumentError
        When the bytes look like a binary file (NUL bytes or mostly control characters).
    """
    sample = data[:BINARY_SAMPLE]
    if b"\x00" in sample:
        raise DocumentError(f"{name}: looks like a binary file (NUL bytes), not extracted text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:BINARY_SAMPLE] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if text and controls > len(text[:BINARY_SAMPLE]) * 0.1:
        raise DocumentError(f"{name}: looks like a binary file (control characters), not extracted text")
    return text


def to_lines(text: str) -> list[Line]:
    """Split text into numbered lines (1-based) with raw and cleaned tab-separated cells."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        raw_cells = tuple(raw.split("\t"))
        lines.append(Line(number, raw, tuple(clean_text(c) for c in raw_cells), raw_cells))
    return lines


def read_document(path: Path) -> list[Line]:
    """Read one extracted plan text into numbered lines.

    Raises
    ------
    DocumentError
        For a missing, unreadable, empty or binary file.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path.name}: file not found") from None
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from None
    text = decode(data, path.name)
    if not text.strip():
        raise DocumentError(f"{path.name}: the file is empty")
    return to_lines(text)
