"""Theme tagging: match the taxonomy's trigger terms (graphkit.vocab.THEMES) and keep the words that matched."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from graphkit.records import ThemeTag
from graphkit.vocab import FOUNDATIONS, THEMES, THEMES_BY_SLUG, Theme


def _acronym(term: str) -> bool:
    r"""True for a term written in capitals (PACE, INSIGHT, ELCs?): matched case-sensitively, so that
    "at pace" or "insight" in a sentence do not count.

    >>> _acronym(r"\bPACE\b"), _acronym(r"\bELCs?\b"), _acronym(r"R4[LP]"), _acronym(r"nurtur\w+")
    (True, True, True, False)
    """
    core = re.sub(r"\\[a-zA-Z]|s\?|\[[^\]]*\]", "", term)
    letters = [c for c in core if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@cache
def _compiled(theme: Theme) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    alternatives = (f"(?-i:{t})" if _acronym(t) else t for t in theme.terms)
    terms = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.I)
    exclude = re.compile("|".join(theme.exclude), re.I) if theme.exclude else None
    return terms, exclude


def theme_occurs(slug: str, text: str) -> bool:
    """True when the taxonomy's terms of this theme occur in the text, as `tag_themes` finds them (False for a slug
    the taxonomy does not have). Cheaper than `tag_themes` when only some themes are in question.

    >>> theme_occurs("advocacy", "Improve awareness of advocacy services"), theme_occurs("advocacy", "Housing")
    (True, False)
    """
    theme = THEMES_BY_SLUG.get(slug)
    if theme is None:
        return False
    terms, exclude = _compiled(theme)
    return terms.search(exclude.sub(" ", text) if exclude else text) is not None


def tag_themes(*texts: str | None) -> tuple[ThemeTag, ...]:
    """Themes of the taxonomy whose terms occur in the texts, each with the words that triggered it.

    >>> [(t.theme, t.words) for t in tag_themes("Improve awareness of advocacy and children's rights services")]
    [('advocacy', ('advocacy',)), ('childrens-rights', ("children's rights",))]
    >>> [t.theme for t in tag_themes("South Ayrshire's Parenting Promise")]
    ['corporate-parenting']
    """
    text = " ".join(" ".join(t.split()) for t in texts if t)
    tags = []
    for theme in THEMES:
        terms, exclude = _compiled(theme)
        subject = exclude.sub(" ", text) if exclude else text
        words: list[str] = []
        for match in terms.finditer(subject):
            word = match.group(0).lower()
            if word not in words:
                words.append(word)
        if words:
            tags.append(ThemeTag(theme.slug, tuple(words)))
    return tuple(tags)


def theme_words(slugs: Sequence[str], text: str) -> list[str]:
    """The words of a text that tag it with these themes (as `tag_themes` finds them), looking for these only.

    >>> theme_words(["advocacy", "housing"], "Advocacy for care leavers, and their housing")
    ['advocacy', 'housing']
    """
    words: list[str] = []
    for slug in slugs:
        theme = THEMES_BY_SLUG.get(slug)
        if theme is None:
            continue
        terms, exclude = _compiled(theme)
        words += [m.group(0).lower() for m in terms.finditer(exclude.sub(" ", text) if exclude else text)]
    return list(dict.fromkeys(words))


def foundations_of_themes(themes: tuple[str, ...] | list[str]) -> list[str]:
    """The Promise foundations that the given themes serve, in the Care Review's order."""
    names = {THEMES_BY_SLUG[t].foundation for t in themes if t in THEMES_BY_SLUG}
    return [n for n in FOUNDATIONS if n in names]


def theme_spans(text: str) -> list[tuple[str, int, int]]:
    """Where a text names a theme, by its taxonomy terms (as `tag_themes` finds them) or by its label: (slug,
    start, end) per place, in the taxonomy's order. A search query uses this to also find the actions tagged with
    the themes it names.

    >>> theme_spans("kinship carers housing")
    [('housing', 15, 22), ('carers', 0, 7), ('carers', 8, 14)]
    >>> theme_spans("voice and participation")[:2]
    [('voice-and-participation', 0, 5), ('voice-and-participation', 10, 23)]
    """
    spans = []
    for theme in THEMES:
        terms, exclude = _compiled(theme)
        subject = exclude.sub(lambda m: " " * len(m.group(0)), text) if exclude else text
        spans += [(theme.slug, m.start(), m.end()) for m in terms.finditer(subject)]
        label = re.compile(r"(?<!\w)" + re.escape(theme.label) + r"(?!\w)", re.I)
        spans += [(theme.slug, m.start(), m.end()) for m in label.finditer(text)]
    return spans
