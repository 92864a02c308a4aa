"""Owner roles: every owner printed in the five plans normalised to a role, an organisation or a person."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from graphkit.owners import OWNER_ALIASES, ROLES, alias_key, owner_parts, owner_role, owner_roles, slugify
from tests.conftest import DATA, DOCS, catalogue_plan

VHT_PRINTED = re.compile(r"\bVirtual\s+(?:School\s+)?(?:HTs?|Head\s?teachers?)\b|\bVHTs?\b", re.IGNORECASE)


def printed_owners(corpus, document: str | None = None) -> dict[tuple[str, str], None]:
    """(council, printed owner) pairs in document order."""
    return {
        (a.council, owner): None
        for a in corpus.actions
        if document is None or a.document == document
        for owner in a.owners
    }


def test_every_printed_owner_resolves_to_a_table_role_or_a_person(corpus):
    """A new spelling in a plan must be added to the alias table rather than become a role of its own."""
    owners = printed_owners(corpus)
    assert len(owners) > 100
    for council, printed in owners:
        parts = owner_parts(printed, council)
        assert parts, printed
        for part in parts:
            assert part.kind == "person" or ROLES.get(part.slug) == part, (printed, part)


def test_the_alias_table_shrinks_the_printed_owners(corpus):
    owners = printed_owners(corpus)
    roles = {p.slug for council, o in owners for p in owner_parts(o, council) if p.kind != "person"}
    printed_roles = {o for council, o in owners if any(p.kind != "person" for p in owner_parts(o, council))}
    assert len(roles) < 0.75 * len(printed_roles)


def test_every_role_is_found_by_its_own_label():
    """Catches one spelling of the table claiming another role's lookup key."""
    for slug, role in ROLES.items():
        assert owner_role(role.label) == role, slug
        assert OWNER_ALIASES[alias_key(role.label)] == slug


def test_every_virtual_headteacher_spelling_in_the_promise_plan_is_one_role(corpus):
    doc = DOCS["000"]
    text = (DATA / "plans" / catalogue_plan(doc).file).read_text(encoding="utf-8")
    spellings = {" ".join(m.group(0).split()) for m in VHT_PRINTED.finditer(text)}
    assert {"Virtual HT", "VHT", "Virtual Headteacher"} <= spellings
    owners = [o for _, o in printed_owners(corpus, doc) if VHT_PRINTED.search(o)]
    assert "Virtual Headteacher (Primary)" in owners
    for printed in sorted(spellings) + owners:
        assert owner_role(printed).slug == "virtual-headteacher", printed


@pytest.mark.parametrize(
    "printed", ["Virtual HT", "VHT", "Virtual Headteacher", "Virtual School HT", "Virtual Head Teacher", "VHTs"]
)
def test_virtual_headteacher_spellings(printed):
    role = owner_role(printed)
    assert (role.slug, role.label, role.kind) == ("virtual-headteacher", "Virtual Headteacher", "role")


def test_senior_manager_permanence_spellings_in_the_promise_plan_are_one_role(corpus):
    spellings = {o for _, o in printed_owners(corpus, DOCS["000"]) if "Permanence" in o}
    assert {"Senior Manager: Permanence", "Senior Manager (Permanence)", "Senior Manager Permanence"} <= spellings
    assert {owner_role(s).slug for s in spellings} == {"senior-manager-permanence"}


@pytest.mark.parametrize(("printed", "slug"), [("HTs", "headteachers"), ("Head Teachers", "headteachers"),
    ("Headteachers", "headteachers"), ("DHTs", "depute-headteacher"), ("Depute Headteacher", "depute-headteacher"),
    ("AHofS for Social Services", "assistant-head-of-service-social-services"),
    ("Senior Manager (ELC, Primary, Libraries)", "senior-manager-elc-primary-and-libraries"),
    ("Senior Manager: ELC, Primary & Libraries", "senior-manager-elc-primary-and-libraries"),
    ("Senior Manager, DCC", "senior-manager"), ("Senior Manager DCC", "senior-manager"),
    ("Senior Manager, NHST", "senior-manager-nhs-tayside"),
    ("Learning and Practice Development sub group", "learning-and-practice-development-subgroup")])  # fmt: skip
def test_printed_spellings_map_to_one_role(printed, slug):
    assert owner_role(printed, "Anywhere").slug == slug


def test_depute_headteachers_are_not_headteachers():
    assert owner_role("Depute Headteacher") != owner_role("Headteachers")


def test_names_joined_with_a_role_give_the_role_and_the_person(corpus):
    owners = printed_owners(corpus, DOCS["001"])
    joined = [o for _, o in owners if o.startswith("Anne Salter")]
    assert {"Anne Salter Lead Officer Child Protection", "Anne Salter, Lead Officer Child Protection"} <= set(joined)
    for printed in joined:
        role = owner_role(printed, "Clackmannanshire")
        assert role.slug == "lead-officer-child-protection"
        assert [p.slug for p in owner_parts(printed, "Clackmannanshire")][1] == "clackmannanshire/anne-salter"
    # The CPC plan prints the same title without a name: the two plans meet at the role.
    assert owner_role("Lead Officer Child Protection") in {
        owner_role(o) for _, o in printed_owners(corpus, DOCS["004"])
    }


def test_people_of_the_single_agency_plan_are_the_people_of_the_covalent_plan(corpus):
    """The 2015 report's two plans print the same people, alone in one and with their title in the other."""
    by_plan: dict[str, set[str]] = {}
    for action in corpus.actions:
        if action.document == DOCS["001"]:
            people = {r.slug for r in owner_roles(action) if r.kind == "person"}
            by_plan.setdefault(action.plan, set()).update(people)
    covalent, single = (by_plan[name] for name in sorted(by_plan))
    assert len(by_plan) == 2
    shared = covalent & single
    assert {"clackmannanshire/liam-purdie", "clackmannanshire/jane-menzies", "clackmannanshire/val-de-souza"} <= shared
    assert "clackmannanshire/christine-sutton" in shared  # printed "Chris Sutton, Service Manager" in one


def test_people_are_scoped_by_their_council_and_roles_are_not(corpus):
    for council, printed in printed_owners(corpus):
        for part in owner_parts(printed, council):
            assert part.slug.startswith(f"{slugify(council)}/") == (part.kind == "person"), (printed, part)
    assert owner_role("Dawn Parker", "South Ayrshire") != owner_role("Dawn Parker", "Dundee")
    assert owner_role("Virtual Headteacher", "Dundee") == owner_role("Virtual Headteacher", "Clackmannanshire")


def test_south_ayrshire_prints_people_and_one_of_them_two_ways(corpus):
    owners = printed_owners(corpus, DOCS["003"])
    assert owners and all(owner_role(o, c).kind == "person" for c, o in owners)
    assert {"Gayle Ferguson", "Gayle Fergusson"} <= {o for _, o in owners}
    assert owner_role("Gayle Fergusson", "South Ayrshire") == owner_role("Gayle Ferguson", "South Ayrshire")


@pytest.mark.parametrize("printed", ["Young Carers", "Youth Forums", "Agency Leads", "Committee Members"])
def test_capitalised_titles_are_not_taken_for_people(printed):
    assert owner_role(printed, "Clackmannanshire").kind != "person"


def test_owners_no_plan_has_printed_get_a_role_or_a_body_of_their_own():
    assert owner_role("Service Manager CHCJ").slug == owner_role("Service Manager, CHCJ").slug == "service-manager-chcj"
    assert owner_role("Service Manager CHCJ").kind == "role"
    assert owner_role("Youth Justice Team, DCC").kind == "organisation"
    assert owner_role("Youth Justice Team, DCC").slug == "youth-justice-team"
    parts = owner_parts("Jo Bloggs, Service Manager CHCJ", "South Ayrshire")
    assert [(p.slug, p.kind) for p in parts] == [
        ("service-manager-chcj", "role"),
        ("south-ayrshire/jo-bloggs", "person"),
    ]


@pytest.mark.parametrize("printed", ["", "  ", "TBC", "N/A", "As above"])
def test_placeholders_are_no_owner(printed):
    assert owner_role(printed) is None


def test_owner_roles_of_an_action_are_deduplicated_in_printed_order(corpus):
    action = next(a for a in corpus.actions if a.document == DOCS["000"])
    action = replace(action, owners=("VHT", "Headteachers", "Virtual Headteacher", "HTs", "Liam Purdie"))
    assert [r.slug for r in owner_roles(action)] == [
        "virtual-headteacher",
        "headteachers",
        f"{slugify(action.council)}/liam-purdie",
    ]
