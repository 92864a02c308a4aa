"""The `graphkit` command line. Text for people, --json for programs; one module per area of commands."""

from __future__ import annotations

import click

from graphkit import __version__
from graphkit.cli.add import add
from graphkit.cli.corpus import actions, coverage, index
from graphkit.cli.graph import dropped_command, duplicates, export, related, trace_command
from graphkit.cli.review import review, reviews
from graphkit.cli.search import search
from graphkit.cli.serve import serve


@click.group()
@click.version_option(__version__, package_name="graphkit")  # not read from the metadata: 0.3 s at start-up
def cli():
    """graphkit: read children's services and Promise action plans, link and search their actions."""


COMMANDS = (index, add, actions, coverage, search, related, trace_command, dropped_command, duplicates, export)
for command in (*COMMANDS, review, reviews, serve):
    cli.add_command(command)
