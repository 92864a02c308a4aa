"""Drafts to records: stable ids, "As above" resolved, owners split, ISO dates, one status scale,
foundation names (printed or inferred from themes) and themes with their evidence."""

from __future__ import annotations

from graphkit.records import STATUSES, Action, Plan, Source
from indexer.base import ActionDraft, ParseResult
from indexer.fields import (
    foundations_from_text,
    is_as_above,
    normalise_code,
    parse_due,
    split_owners,
    status_from_text,
)
from indexer.themes import foundations_of_themes, tag_themes


def action_id(document: str, draft: ActionDraft) -> str:
    """`<document>:<code>` with spaces as dashes, else `<document>:<key>` or `<document>:L<line>`.

    >>> action_id("clackmannanshire-promise-2023", ActionDraft(line=64, code="GC 10"))
    'clackmannanshire-promise-2023:GC-10'
    >>> action_id("dundee-promise-2021", ActionDraft(line=190, key="L190-4"))
    'dundee-promise-2021:L190-4'
    """
    if draft.code:
        return f"{document}:{'-'.join(draft.code.split())}"
    return f"{document}:{draft.key or f'L{draft.line}'}"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def enrich(plan: Plan, result: ParseResult) -> list[Action]:
    """Turn a parser's drafts into records, in document order.

    Problems found here (a duplicate id, an unknown status) are added to `result.problems`.
    """
    actions: list[Action] = []
    previous: dict[str, ActionDraft] = {}  # per (sub-)plan, for "As above"
    seen: set[str] = set()
    for draft in sorted(result.actions, key=lambda d: d.line):
        plan_name = draft.plan or plan.title
        notes = list(draft.notes)
        before = previous.get(plan_name)

        owners_text = _clean(draft.owners_text)
        owners = draft.owners
        if owners is None and is_as_above(owners_text):
            owners = list(before.owners or []) if before else []
            notes.append(
                "owners 'As above': taken from the previous action"
                if before
                else "owners 'As above' with no action above"
            )
        elif owners is None:
            owners = split_owners(owners_text)
        draft.owners = owners  # the next "As above" copies the resolved list

        due_text = _clean(draft.due_text)
        due = parse_due(before.due_text if before and is_as_above(due_text) else due_text)

        status_text = _clean(draft.status_text)
        status = draft.status or status_from_text(
            before.status_text if before and is_as_above(status_text) else status_text
        )
        if status not in STATUSES:
            result.problem(draft.line, f"unknown status {status!r}; set to unknown")
            status = "unknown"

        themes = tag_themes(draft.text, draft.outcome, draft.progress if not draft.text else None)
        theme_slugs = tuple(t.theme for t in themes)
        foundations_text = _clean(draft.foundations_text)
        foundations = draft.foundations or foundations_from_text(foundations_text)
        inferred = not foundations
        if inferred:
            foundations = foundations_of_themes(theme_slugs)

        identifier = action_id(plan.id, draft)
        if identifier in seen:
            result.problem(draft.line, f"duplicate action id {identifier}; suffixed with its line")
            identifier = f"{identifier}@L{draft.line}"
        seen.add(identifier)

        code = normalise_code(draft.code) if draft.code else None
        actions.append(
            Action(
                id=identifier,
                document=plan.id,
                plan=plan_name,
                council=plan.council,
                year=plan.start_year,
                period=plan.period,
                code=code,
                code_printed=_clean(draft.code_printed),
                text=_clean(draft.text),
                outcome=_clean(draft.outcome),
                owners=tuple(owners),
                owners_text=owners_text,
                due=due,
                due_text=due_text,
                status=status,
                status_text=status_text,
                progress=_clean(draft.progress),
                pillar=_clean(draft.pillar),
                foundations=tuple(foundations),
                foundations_text=foundations_text,
                foundations_inferred=inferred and bool(foundations),
                themes=theme_slugs,
                theme_evidence=themes,
                source=Source(plan.id, plan.file, draft.line),
                notes=tuple(notes),
            )
        )
        previous[plan_name] = draft
    return actions
