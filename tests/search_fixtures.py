"""The search index of the bundled plans once per backend, so every search test runs on whoosh and on tantivy.

The whoosh index is the one `graphkit index` wrote into the store (auto picks whoosh for five plans); the tantivy
one is written from the same actions. Import the fixtures into a test module to use them.
"""

from __future__ import annotations

import pytest

from graphkit.build import artefact_writers
from graphkit.store import write_corpus
from indexer.search import BACKEND_VARIABLE, open_index, write_index

BACKENDS = ("whoosh", "tantivy")


@pytest.fixture(scope="session", params=BACKENDS)
def search_index(request, corpus, tmp_path_factory):
    """The bundled plans' search index, opened, for each backend in turn."""
    if request.param == "whoosh":
        folder = corpus.path / "search"
    else:
        folder = write_index(corpus.actions, corpus.plans, tmp_path_factory.mktemp("tantivy") / "search", "tantivy")
    with open_index(folder) as opened:
        assert opened.backend == request.param
        yield opened


@pytest.fixture(scope="session", params=BACKENDS)
def search_store(request, corpus_store, corpus, tmp_path_factory):
    """A store of the bundled plans whose search index each backend wrote in turn (chosen by the environment
    variable, as a person would)."""
    if request.param == "whoosh":
        return corpus_store
    store = tmp_path_factory.mktemp("tantivy-store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BACKEND_VARIABLE, request.param)
        write_corpus(store, corpus, artefact_writers(corpus))
    return store
