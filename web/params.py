"""Reading and checking request arguments. A bad argument is a BadQuery naming it, shown as a 400."""

from __future__ import annotations

from collections.abc import Mapping

from graphkit.errors import BadQuery

MAX_TEXT = 500  # characters of a query or filter value: longer is no search a person types
FORMATS = ("json", "csv")


def text_arg(args: Mapping[str, str], name: str, max_chars: int = MAX_TEXT) -> str | None:
    """A stripped text argument, or None when absent or blank."""
    value = args.get(name)
    if value is None:
        return None
    value = value.strip()
    if "\x00" in value:
        raise BadQuery(f"{name} holds a NUL character")
    if len(value) > max_chars:
        raise BadQuery(f"{name} is longer than {max_chars} characters")
    return value or None


def _number(args: Mapping[str, str], name: str, convert: type, what: str, low: float, high: float):
    """The argument converted, or None when absent or blank; a BadQuery when it is not a number in range."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = convert(raw)
    except ValueError:
        raise BadQuery(f"{name} must be {what}, not {raw[:40]!r}") from None
    if not low <= value <= high:  # also refuses nan
        raise BadQuery(f"{name} must be from {low:g} to {high:g}")
    return value


def int_arg(args: Mapping[str, str], name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole number from `low` to `high`, or `default` when absent or blank."""
    value = _number(args, name, int, "a whole number", low, high)
    return default if value is None else value


def float_arg(args: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A number from `low` to `high`, or `default` when absent or blank."""
    value = _number(args, name, float, "a number", low, high)
    return default if value is None else value


def choice_arg(args: Mapping[str, str], name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    """One of `choices` (any case; - and _ alike), or `default` when absent or blank."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    wanted = raw.casefold().replace("-", "_")
    for choice in choices:
        if choice.casefold().replace("-", "_") == wanted:
            return choice
    raise BadQuery(f"{name} must be one of {', '.join(choices)}, not {raw[:40]!r}")


def format_arg(args: Mapping[str, str]) -> str:
    return choice_arg(args, "format", FORMATS, "json") or "json"
