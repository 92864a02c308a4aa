"""What every command shares: the --store and --data options, error reporting, opening the store, text helpers."""

from __future__ import annotations

import functools
import itertools
import os
from pathlib import Path

import click

from graphkit.database import Database
from graphkit.errors import GraphkitError, StoreError
from graphkit.store import Corpus, current_build, default_store, load_corpus

BUNDLED_DATA = Path(__file__).resolve().parents[2] / "data"


def default_data() -> Path:
    if os.environ.get("GRAPHKIT_DATA"):
        return Path(os.environ["GRAPHKIT_DATA"])
    return BUNDLED_DATA if BUNDLED_DATA.is_dir() else Path("data")


def store_option(command):
    """Every command takes --store (default: $GRAPHKIT_STORE, else ./.graphkit)."""
    return click.option(
        "--store",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Store folder [default: $GRAPHKIT_STORE, else ./.graphkit].",
    )(command)


def data_option(command):
    return click.option(
        "--data",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Data folder with catalogue.csv and plans/ [default: the bundled data/].",
    )(command)


def reports_errors(command):
    """Turn a GraphkitError into a one-line message on stderr and exit status 1 (no traceback)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except GraphkitError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def open_corpus(store: Path | None) -> Corpus:
    """The whole current build, read into memory (the commands that need every record and link)."""
    return load_corpus(store or default_store())


def open_database(store: Path | None) -> Database:
    """The current build's database, read only as far as a question needs (`graphkit.database`)."""
    store = store or default_store()
    folder = current_build(store)
    try:
        return Database(folder, store)
    except StoreError:
        if current_build(store) == folder:
            raise
        return Database(current_build(store), store)  # replaced and removed as it was opened: open the new one


def count(n: int, noun: str) -> str:
    """3 actions, 1 problem."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    spans = []
    for _, run in itertools.groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0]):
        values = [n for _, n in run]
        spans.append(str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}")
    return ", ".join(spans)
