"""The README is tested: every command has help and is documented, and the record example is real."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--store" in result.output
    assert f"`graphkit {command}" in README


def test_readme_command_table_is_one_table_holding_every_command():
    """A blank line inside a markdown table ends it: the rows after it would show as text."""
    section = README.split("## Commands")[1].split("\n## ")[0]
    tables = re.findall(r"(?:^\|.*\|\n)+", section, re.M)
    commands = [table for table in tables if "| command |" in table]
    assert len(commands) == 1
    rows = re.findall(r"^\| `graphkit (\w+)", commands[0], re.M)
    assert sorted(rows) == sorted(cli.commands)


def test_readme_quick_start_is_two_commands_that_install_serve_and_test():
    blocks = re.findall(r"```sh\n(.*?)```", README.split("## Quick start")[1].split("## ")[0], re.S)
    assert len(blocks) == 2
    assert "pip install" in blocks[0] and "graphkit serve" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_readme_record_example_matches_the_real_record(corpus):
    example = json.loads(re.search(r"```json\n(.*?)```", README, re.S).group(1))
    record = corpus.action(example["id"]).to_dict()
    assert example.keys() == record.keys()
    for key, value in example.items():
        if isinstance(value, str) and value.endswith("..."):
            assert record[key].startswith(value[:-3]), key
        else:
            assert record[key] == value, key
