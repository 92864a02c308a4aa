"""The `graphkit` command line. Text for people, --json for programs; one module per area of commands."""

from __future__ import annotations

import click

from graphkit.cli.corpus import actions, coverage, index


@click.group()
@click.version_option(package_name="graphkit")
def cli():
    """graphkit: read children's services and Promise action plans, link and search their actions."""


for command in (index, actions, coverage):
    cli.add_command(command)
