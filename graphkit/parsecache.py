"""The store's cache of parsed documents, so `graphkit index` parses only the documents that changed.

Each entry is one document's outcome (its actions, problems and coverage row) in ``<store>/cache/<key>.json``. The
key hashes everything the parse depends on: the file's bytes, its catalogue row, and the source of every module
parsing runs (`parser_fingerprint`), with the graphkit and Python versions. A changed document, catalogue row or
parser therefore gets a new key and is parsed again; an old entry is never read for it. An entry that cannot be
read, or does not hold what its name promises, is ignored and the document parsed again. Entries are written
whole (a temporary file, then a rename), and removed once no kept build uses them.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import json
import os
import pkgutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import graphkit
from graphkit.catalogue import plan_path
from graphkit.documents import DocumentOutcome
from graphkit.errors import GraphkitError
from graphkit.records import Action, Plan
from indexer.base import ParseProblem

CACHE_DIR = "cache"
CACHE_FORMAT = 1  # bump when the layout of an entry changes
# The modules parsing runs, found from these by following their imports within OUR_PACKAGES. The parser modules are
# a whole package because `indexer.registry` imports them by name at run time, which no import statement shows.
PARSE_ROOTS = ("graphkit.documents", "indexer.formats")
OUR_PACKAGES = ("graphkit", "indexer")
TEMPORARY_PREFIX = ".tmp-"


def parse_modules() -> list[str]:
    """The names of every module of ours that parsing a document runs, sorted (see `modules_reached`).

    Examples
    --------
    >>> modules = parse_modules()
    >>> "indexer.formats.prose" in modules and "graphkit.vocab" in modules
    True
    >>> "graphkit.linking" in modules or "indexer.search" in modules
    False
    """
    return modules_reached(PARSE_ROOTS)


def modules_reached(roots: Sequence[str]) -> list[str]:
    """The names of the modules of ours that `roots` import, directly or not (and the roots, with every module of
    a root that is a package), sorted."""
    seen: set[str] = set()
    waiting = list(roots)
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise GraphkitError(f"cannot find the module {name} to fingerprint the code")
        if spec.submodule_search_locations is not None and name in roots:
            waiting += [f"{name}.{m.name}" for m in pkgutil.iter_modules(spec.submodule_search_locations)]
        package = name if spec.submodule_search_locations is not None else name.rpartition(".")[0]
        waiting += [parent for parent in _parents(name) if parent not in seen]
        waiting += _imports(Path(spec.origin), package)
    return sorted(seen)


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _imports(source: Path, package: str) -> list[str]:
    """The modules of ours a source file imports (`from a.b import c` is a.b.c when that is a module)."""
    found = []
    for node in ast.walk(ast.parse(source.read_bytes(), filename=str(source))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            relative = "." * node.level + (node.module or "")
            base = importlib.util.resolve_name(relative, package) if node.level else relative
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}")]
    return [name for name in found if name.split(".")[0] in OUR_PACKAGES]


def _is_module(name: str) -> bool:
    if name.split(".")[0] not in OUR_PACKAGES:
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


@functools.cache
def parser_fingerprint() -> str:
    """A hash of the source of every module parsing runs, with the graphkit and Python versions."""
    return source_fingerprint(PARSE_ROOTS, CACHE_FORMAT)


@functools.cache
def source_fingerprint(roots: tuple[str, ...], salt: object = "") -> str:
    """A hash of the source of every module `roots` reach (`modules_reached`), with the graphkit and Python
    versions and `salt` (a format number)."""
    digest = hashlib.sha256(f"{salt} {graphkit.__version__} {sys.version}".encode())
    for name in modules_reached(roots):
        origin = importlib.util.find_spec(name).origin  # type: ignore[union-attr]
        digest.update(f"\0{name}\0".encode())
        digest.update(Path(origin).read_bytes())  # type: ignore[arg-type]
    return digest.hexdigest()


def document_key(data_dir: Path, plan: Plan) -> str | None:
    """The cache key of a document as it is now, or None when its file cannot be read (it is parsed, to report
    why)."""
    try:
        content = plan_path(data_dir, plan).read_bytes()
    except (OSError, GraphkitError):
        return None
    digest = hashlib.sha256(parser_fingerprint().encode())
    digest.update(json.dumps(asdict(plan), sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(content)
    return digest.hexdigest()


class ParseCache:
    """The parsed documents of one store (``<store>/cache``).

    Examples
    --------
    >>> import tempfile
    >>> from graphkit.catalogue import read_catalogue
    >>> from graphkit.cli.common import BUNDLED_DATA
    >>> from graphkit.documents import index_document
    >>> plan = read_catalogue(BUNDLED_DATA)[0]
    >>> key = document_key(BUNDLED_DATA, plan)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     cache = ParseCache(Path(tmp))
    ...     missing = cache.get(key, plan)
    ...     written = cache.put(key, index_document(BUNDLED_DATA, plan))
    ...     print(missing, len(cache.get(key, plan).actions))
    None 31
    """

    def __init__(self, store: Path) -> None:
        self.folder = store / CACHE_DIR

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, plan: Plan) -> DocumentOutcome | None:
        """The cached outcome of this document, or None when there is none or it cannot be trusted."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            if entry["format"] != CACHE_FORMAT or entry["key"] != key or entry["plan"] != asdict(plan):
                return None
            coverage = entry["coverage"]
            if not isinstance(coverage, dict) or coverage.get("document") != plan.id:
                return None
            actions = [Action.from_dict(row) for row in entry["actions"]]
            problems = [ParseProblem(**row) for row in entry["problems"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if any(a.document != plan.id for a in actions) or any(p.document != plan.id for p in problems):
            return None
        return DocumentOutcome(plan, actions, problems, coverage)

    def put(self, key: str, outcome: DocumentOutcome) -> bool:
        """Keep a document's outcome; False when it cannot be written (the build goes on without it)."""
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "plan": asdict(outcome.plan),
            "actions": [a.to_dict() for a in outcome.actions],
            "problems": [asdict(p) for p in outcome.problems],
            "coverage": outcome.coverage,
        }
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=TEMPORARY_PREFIX, suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out, ensure_ascii=False)
            os.replace(temporary, self._path(key))
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            return False
        return True

    def prune(self, keep: Iterable[str]) -> int:
        """Remove the entries whose key is not in `keep`, and leftovers of interrupted writes; returns how many."""
        keep = set(keep)
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            if path.name.startswith(TEMPORARY_PREFIX) or (path.suffix == ".json" and path.stem not in keep):
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed
