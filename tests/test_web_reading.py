"""The plan page says how each plan was read (reader, parser, rules with confidence) and which lines to check."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from tests.conftest import FIXTURES, copy_data

ADDED = "anyshire-plan-2023"
HOSTILE = "1. Annual review where x < y and <b>bold</b> & more words here\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading")
    data = copy_data(root / "data", documents=("dundee-promise-2021",))
    text = (FIXTURES / "layouts" / "bullets_lead_in.txt").read_text(encoding="utf-8") + "\n" + HOSTILE
    (data / "plans" / "anyshire.txt").write_text(text, encoding="utf-8")
    with (data / "catalogue.csv").open("a", encoding="utf-8") as out:
        out.write(f"{ADDED},anyshire.txt,Anyshire,Promise Plan,promise,2024,2027,,,\n")
    result = CliRunner().invoke(cli, ["index", "--data", str(data), "--store", str(root / "store")])
    assert result.exit_code == 0, result.output
    from web import create_app

    yield create_app({"TESTING": True, "GRAPHKIT_STORE": str(root / "store")}).test_client()
    shutil.rmtree(root, ignore_errors=True)


def reading_section(html: str) -> str:
    match = re.search(r'<section class="reading".*?</section>', html, re.S)
    assert match, "no reading section"
    return match.group(0)


def test_a_plan_read_by_its_layout_shows_its_rules_confidence_and_lines_to_check(client):
    html = client.get(f"/plans/{ADDED}").get_data(as_text=True)
    section = reading_section(html)
    assert "<dt>File read as</dt><dd>text</dd>" in section
    assert "layout" in section and "no parser of its own; read by its layout" in section
    assert "5 · list item after a lead-in" in section and "confidence high" in section
    assert "1 · list item" in section and "confidence low" in section
    assert "check: read by: list item (confidence low)" in section
    assert "x &lt; y and bold &amp; more" in section  # document text escaped (and its markup cleaned)
    assert "<b>" not in section


def test_a_bundled_plan_shows_its_own_parser(client):
    section = reading_section(client.get("/plans/dundee-promise-2021").get_data(as_text=True))
    assert "we_will_table" in section and "the parser written for this plan's format" in section


def test_the_api_twin_gives_the_same_reading(client):
    reading = client.get(f"/api/plans/{ADDED}").get_json()["reading"]
    assert reading["reader"] == "text" and reading["parser"] == "layout"
    assert ["list item after a lead-in", "high", 5] in reading["rules"]
    assert any(c["reason"].startswith("check: read by: list item (confidence low)") for c in reading["to_check"])
