"""Lets `python -m graphkit` run the CLI."""

from graphkit.cli import cli

cli()
