"""The zip guard for Word and Excel files: a .docx or .xlsx is a zip archive, and a zip can be a bomb.

The archive's directory declares each member's uncompressed size, and Python's zipfile never inflates a member past
its declared size, so checking the declared sizes and the member count before opening bounds the work and memory a
file can cost.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from graphkit.errors import DocumentError

MAX_MEMBERS = 10_000  # a large Word document with images holds a few hundred parts
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # 200 MB inflated: a plan of thousands of pages is far smaller
MAX_RATIO = 200  # a member inflating more than 200-fold (and past 10 MB) is a bomb, not a document
RATIO_FROM = 10 * 1024 * 1024


def check_zip(path: Path, kind: str) -> None:
    """Refuse a file that is not a zip archive, or whose declared contents are too many or too large.

    Raises
    ------
    DocumentError
        Naming the file and the limit it passed.
    """
    if not path.stat().st_size:
        raise DocumentError(f"{path.name}: the file is empty")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(f"{path.name}: not a readable {kind} file (not a zip archive: {exc})") from None
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"{path.name}: refused: {len(members)} parts in the archive (the limit is {MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise DocumentError(
            f"{path.name}: refused: the archive inflates to {total // 2**20} MB "
            f"(the limit is {MAX_UNCOMPRESSED // 2**20} MB; a zip bomb?)"
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise DocumentError(f"{path.name}: refused: part {member.filename!r} inflates {ratio}-fold (a zip bomb?)")
