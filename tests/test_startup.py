"""A command imports only what it needs: linking's and the graph's libraries load only while indexing or exporting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sklearn", "scipy", "networkx", "whoosh", "tantivy", "pyvis", "flask")
QUICK = (
    ["--help"],
    ["--version"],
    ["actions", "--document", "dundee-promise-2021"],
    ["related", "GC-10"],
    ["trace", "clackmannanshire-inspection-2015:SS_ICSAP_VIEW2"],
    ["dropped"],
)


def loaded_after(args: list[str], store) -> list[str]:
    """The heavy libraries a fresh interpreter has imported after running `graphkit ARGS` (which must succeed)."""
    script = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from graphkit.cli import cli\n"
        f"result = CliRunner().invoke(cli, {args!r} + ['--store', {str(store)!r}] * {int(args[0][0] != '-')})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("args", QUICK, ids=" ".join)
def test_a_quick_command_imports_no_linking_graph_or_search_library(corpus_store, args):
    assert loaded_after(args, corpus_store) == []


def test_the_command_lines_export_formats_are_the_exporters():
    from graphkit.cli.graph import FILE_FORMATS, FOLDER_FORMATS
    from graphkit.export import EXPORT_FORMATS
    from graphkit.handover import HANDOVER_FORMATS

    assert (FILE_FORMATS, FOLDER_FORMATS) == (EXPORT_FORMATS, HANDOVER_FORMATS)


def test_the_version_printed_is_the_installed_packages():
    from importlib.metadata import version

    from graphkit import __version__

    assert __version__ == version("graphkit")
