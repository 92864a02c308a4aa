"""Time reading a generated 100-page PDF plan, beside the other ways a PDF could be read.

    .venv/bin/python bench/pdf_read.py [--pages 100] [--runs 3] [--keep FILE]

The PDF is the bundled plans printed one after another (and again, until there are `--pages` pages) the way
tests/plan_files.py prints them: A4 landscape, ruled tables with wrapped cells, header rows repeated on each page,
rows split across page breaks, a running title and page numbers. Timed, best and median of `--runs`:

- `indexer.readers.pdf.read`: the reader graphkit uses (pdfminer.six layout objects, pdfplumber's table finder);
- pdfplumber's own page objects (`extract_words` and `find_tables` on each page): the same words and cells;
- pypdfium2's plain text of each page (Apache-2.0/BSD): fast, but with no ruling lines or word boxes it gives
  neither tables nor cells, so reading a plan through it means writing a table finder from its path objects.

Then the same plans written as a Word document, a workbook and a web page, read by their readers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]

from graphkit.catalogue import read_catalogue  # noqa: E402
from graphkit.cli.common import BUNDLED_DATA  # noqa: E402
from indexer.readers import pdf  # noqa: E402
from tests.plan_files import write_docx, write_html, write_pdf, write_xlsx  # noqa: E402


def plan_pdf(path: Path, pages: int) -> tuple[int, str]:
    """Print the bundled plans, one after another and again, until the PDF has at least `pages` pages."""
    import pypdfium2

    texts = [(BUNDLED_DATA / "plans" / p.file).read_text(encoding="utf-8-sig") for p in read_catalogue(BUNDLED_DATA)]
    chosen: list[str] = []
    count = 0
    while count < pages:
        chosen.append(texts[len(chosen) % len(texts)])
        write_pdf("\n\n".join(chosen), path)
        count = len(pypdfium2.PdfDocument(str(path)))
    return count, "\n\n".join(chosen)


def timed(run, runs: int) -> tuple[float, float, float]:
    """Best and median wall time, and the least CPU time (which other work on a shared machine disturbs less)."""
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(samples), statistics.median(samples), min(cpu)


def through_pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as document:
        for page in document.pages:
            page.extract_words(extra_attrs=["size", "fontname"])
            page.find_tables()


def through_pdfium(path: Path) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    for i in range(len(document)):
        document[i].get_textpage().get_text_range()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the generated PDF here (default: a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "plan.pdf"
        pages, text = plan_pdf(path, args.pages)
        size = path.stat().st_size
        print(f"{path.name}: {pages} pages, {size / 2**20:.1f} MB")
        model = pdf.read(path)
        tables = sum(1 for b in model.blocks if b.kind == "table")
        rows = sum(len(b.rows) for b in model.blocks if b.kind == "table")
        print(
            f"read: {len(model.lines)} lines, {tables} tables, {rows} rows, {len(model.skipped)} skipped, "
            f"{len(model.problems)} problems"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'way':<46} {'best s':>8} {'median s':>9} {'cpu s':>7} {'pages/s':>8}")
        for name, run in (
            ("indexer.readers.pdf.read (graphkit)", lambda: pdf.read(path)),
            ("pdfplumber page objects (words + tables)", lambda: through_pdfplumber(path)),
            ("pypdfium2 plain text (no tables)", lambda: through_pdfium(path)),
        ):
            best, median, cpu = timed(run, args.runs)
            print(f"{name:<46} {best:>8.2f} {median:>9.2f} {cpu:>7.2f} {pages / best:>8.1f}")
        print("the same plans as a Word document, a workbook and a web page:")
        for kind, write in (("docx", write_docx), ("xlsx", write_xlsx), ("html", write_html)):
            other = Path(folder) / f"plan.{kind}"
            write(text, other)
            read = import_module(f"indexer.readers.{kind}").read
            best, median, cpu = timed(lambda read=read, other=other: read(other), args.runs)
            name = f"indexer.readers.{kind}.read ({other.stat().st_size / 2**20:.1f} MB)"
            print(f"{name:<46} {best:>8.2f} {median:>9.2f} {cpu:>7.2f}")


if __name__ == "__main__":
    main()
