"""Owner roles: the printed owners of an action, normalised to roles, people and organisations.

The plans print owners in many spellings ("Senior Manager: Permanence", "Senior Manager (Permanence)",
"Senior Manager Permanence"), as acronyms ("VHT", "Virtual HT", "AHofS"), as personal names ("Liam Purdie")
and as names joined with a role ("Anne Salter Lead Officer Child Protection"). `owner_role` turns one printed
owner into an `OwnerRole`; `owner_roles` does it for every owner of an action.

Roles and organisations are compared within and across councils: a Virtual Headteacher in Clackmannanshire
and one in Dundee hold the same role, so they share one slug. A person is only the same person within one
council (two councils may each have a "Gayle Ferguson", and a plan never says which), so person slugs carry
their council: "clackmannanshire/liam-purdie".

Sources: the owners printed in the five bundled plans (`graphkit actions --json`) and DOMAIN.md section 6.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from graphkit.records import Action

OwnerKind = Literal["role", "person", "organisation"]


@dataclass(frozen=True, slots=True)
class OwnerRole:
    """A normalised owner: `slug` is its node id part, `label` its readable name, `kind` what it is."""

    slug: str
    label: str
    kind: OwnerKind


# One role or organisation a row ("slug | kind | label"), then its spellings as printed on indented lines,
# separated by ";" (the label is a spelling too). Every role or organisation printed as an owner in the five
# plans is here; DOMAIN.md's acronyms are added where a plan uses them in its text ("VHT", "HTs", "DHTs").
_ROLE_TABLE = """
# Clackmannanshire Promise plan (000). "(Primary)" names the phase a Virtual Headteacher covers, not another role.
virtual-headteacher | role | Virtual Headteacher
    Virtual Headteachers; Virtual Head Teacher; Virtual HT; Virtual HTs; VHT; VHTs; Virtual School HT;
    Virtual School Headteacher; Virtual School Head Teacher; Virtual Headteacher (Primary)
headteachers | role | Headteachers
    Headteacher; Head Teachers; Head Teacher; HTs; HT
depute-headteacher | role | Depute Headteacher
    Depute Headteachers; Depute Head Teacher; Deputy Headteacher; DHT; DHTs
senior-manager-permanence | role | Senior Manager (Permanence)
    Senior Manager: Permanence; Senior Manager Permanence
senior-manager-secondary-and-communities | role | Senior Manager (Secondary and Communities)
    Senior Manager: Secondary and Communities; Senior Manager Secondary & Communities
senior-manager-elc-primary-and-libraries | role | Senior Manager (ELC, Primary and Libraries)
    Senior Manager: ELC, Primary & Libraries; Senior Manager (ELC, Primary, Libraries)
senior-manager-early-intervention | role | Senior Manager (Early Intervention)
    Senior Manager: Early Intervention
senior-manager-inclusion-and-partnerships | role | Senior Manager (Inclusion and Partnerships)
senior-manager-justice | role | Senior Manager (Justice)
senior-manager-hr | role | Senior Manager (HR)
# No portfolio printed: 000 WFS 4 "Senior Managers" and Dundee's "Senior Manager, DCC".
senior-manager | role | Senior Manager
    Senior Managers
improvement-analyst | role | Improvement Analyst
# 000 STW 2 prints "Principle".
principal-educational-psychologist | role | Principal Educational Psychologist
    Principle Educational Psychologist
programme-manager-family-wellbeing-partnership | role | Programme Manager, Family Wellbeing Partnership
elc-and-primary-leadership-teams | organisation | ELC and Primary Leadership Teams
# Clackmannanshire 2015 inspection report (001), single-agency plan: names joined with these roles.
assistant-head-of-service-social-services | role | Assistant Head of Service, Social Services
    AHOS Social Services; AHofS Social Services; AHOS for Social Services
head-of-social-services | role | Head of Social Services
service-manager-social-services | role | Service Manager, Social Services
review-manager | role | Review Manager
    Review Manager Social Services
team-manager-throughcare-and-aftercare | role | Team Manager, Throughcare and Aftercare
    TM, TCAC Social Services; TM TCAC
# In the CPC plan (004) "Lead Officer" is the committee's Lead Officer for child protection: its 8.1 prints the
# full title in the same column, and 001 names Anne Salter "Lead Officer Child Protection" (inferred).
lead-officer-child-protection | role | Lead Officer, Child Protection
    Lead Officer; CP Lead Officer
cp-training-coordinator | role | Child Protection Training Coordinator
    CP Training Coordinator
asp-coordinator | role | Adult Support and Protection Coordinator
    ASP Coordinator
adp-leads | role | Alcohol and Drug Partnership leads
    ADP Leads; ADP Lead
# The CPC acts through its members: "CPC" (001) and "CPC members" / "Committee Members" (004) are one body.
child-protection-committee | organisation | Child Protection Committee
    CPC; CPC Members; Committee Members
cpc-subgroup-members | role | Child Protection Committee sub-group members
    Committee Sub-Group Members; Sub-Group Members
macig | organisation | MACIG (multi-agency CPC sub-group)
    MACIG
girfec-training-group | organisation | GIRFEC Training Group
corporate-parenting-group | organisation | Corporate Parenting Group
childrens-strategic-partnership-group | organisation | Children's Strategic Partnership Group
# Clackmannanshire CPC plan (004).
independent-chair | role | Independent Chair (Child Protection Committee)
    Independent Chair
review-group | organisation | Review Group (learning reviews)
    Review Group
public-protection-learning-and-development-advisor | role | Public Protection Learning and Development Advisor
    Public Protection L and D Advisor; Public Protection L&D Advisor
performance-and-quality-assurance-subgroup | organisation | Performance and Quality Assurance Subgroup
    Performance Management and Quality Assurance Sub Group; PQA Subgroup
# 4.1, 4.2 and 5.2 print "Learning and Development Subgroup" beside the advisor that 4.3-4.6 pair with the
# "Learning and Practice Development Subgroup": read as one subgroup (inferred).
learning-and-practice-development-subgroup | organisation | Learning and Practice Development Subgroup
    Learning and Development Subgroup
forth-valley-ppie-subgroup | organisation | Forth Valley Public Information, Engagement and Participation Subgroup
    FV Public Info, Engagement & Participation Subgroup; FV PPIE Subgroup
forth-valley-policies-procedures-subgroup | organisation | Forth Valley Policies, Procedures and Protocols Subgroup
forth-valley-cp-guidance-implementation-group | organisation | Forth Valley National CP Guidance Implementation Group
ird-steering-group | organisation | IRD Steering Group
e-safety-partnership | organisation | West Lothian and Forth Valley E-Safety Partnership
    West Lothian and Forth Valley E- Safety Partnership
agency-leads | role | Agency leads
nhs-lead | role | NHS Lead
education-leads | role | Education leads
child-protection-education-leads | role | Child protection education leads
corporate-parenting-leads | role | Corporate parenting leads
childrens-rights-officer | role | Children's Rights Officer
    Children's Rights Officer (Stirling); CRO
who-cares-scotland | organisation | Who Cares? Scotland
    Who Cares?; Who Cares? (Clacks)
youth-forums | organisation | Youth forums
young-carers | organisation | Young Carers
# Dundee (002); the council's own name is dropped first (see _COUNCIL_SUFFIXES).
chief-education-officer | role | Chief Education Officer
head-of-childrens-services | role | Head of Children's Services
    Head of Children's Service
head-of-neighbourhood-services | role | Head of Neighbourhood Services
    Head of Service, Neighbourhood Services
education-manager | role | Education Manager
improvement-manager | role | Improvement Manager
senior-manager-nhs-tayside | role | Senior Manager (NHS Tayside)
    Senior Manager, NHST
assistant-director-barnardos | role | Assistant Director, Barnardo's
    Assistant Director of Barnardo's
protecting-people-team | organisation | Protecting People Team
youth-employability-service | organisation | Youth Employability Service
"""


def _read_table(table: str) -> dict[OwnerRole, tuple[str, ...]]:
    """Each role of the table with its spellings, label first."""
    rows: dict[OwnerRole, tuple[str, ...]] = {}
    role: OwnerRole | None = None
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" ") and role is not None:
            rows[role] += tuple(s.strip() for s in line.split(";") if s.strip())
            continue
        slug, kind, label = (cell.strip() for cell in line.split("|"))
        role = OwnerRole(slug, label, kind)  # type: ignore[arg-type]
        rows[role] = (label,)
    return rows


_SPELLINGS = _read_table(_ROLE_TABLE)
ROLES: dict[str, OwnerRole] = {role.slug: role for role in _SPELLINGS}

# Words that carry no meaning in a title: "AHofS for Social Services" is "AHofS Social Services".
_FILLER = frozenset({"and", "for", "of", "the"})
# A council printed after a title names the employer, not the role: "Senior Manager, DCC" is a Senior Manager.
_COUNCIL_SUFFIXES = (
    ("dcc",),
    ("dundee", "city", "council"),
    ("clackmannanshire", "council"),
    ("south", "ayrshire", "council"),
)


def alias_key(text: str) -> str:
    """The form owners are looked up by: lower case, `&` as "and", no punctuation or filler words.

    >>> alias_key("Senior Manager (Secondary & Communities)") == alias_key("Senior Manager: Secondary and Communities")
    True
    >>> alias_key("Committee Sub-Group Members")
    'committee subgroup members'
    """
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "")
    text = re.sub(r"\bsub[\s-]+group", "subgroup", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _FILLER]
    for suffix in _COUNCIL_SUFFIXES:
        if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
            words = words[: -len(suffix)]
            break
    return " ".join(words)


# Every spelling's lookup form -> role slug.
OWNER_ALIASES: dict[str, str] = {alias_key(s): role.slug for role, spellings in _SPELLINGS.items() for s in spellings}

# The same person printed two ways within one council, keyed by (council slug, lower-case name).
PERSON_ALIASES: dict[tuple[str, str], str] = {
    ("clackmannanshire", "val desouza"): "Val de Souza",
    # 001's single-agency rows L865-L867 copy VIEW1-VIEW3, which the Covalent plan gives to Christine Sutton.
    ("clackmannanshire", "chris sutton"): "Christine Sutton",
    ("south-ayrshire", "gayle fergusson"): "Gayle Ferguson",
}

# Words that make a capitalised phrase a title or a body rather than a personal name ("Young Carers").
_NOT_NAME_WORDS = frozenset(
    """manager managers officer officers lead leads head heads director chair coordinator advisor adviser analyst
    teacher teachers headteacher headteachers psychologist member members group subgroup team teams service
    services partnership committee council forum forums carers board network panel unit agency agencies school
    schools staff worker workers social education health nhs police training steering development learning young
    youth children family families care senior principal depute deputy virtual assistant independent corporate
    parenting public protection improvement review who""".split()
)
_NAME_PARTICLES = frozenset({"de", "da", "van", "von", "der", "la", "le", "du"})
_NOT_OWNERS = frozenset({"", "tbc", "tba", "n a", "na", "none", "as above"})
_ROLE_NOUNS = frozenset(
    "manager managers officer officers lead leads chair coordinator advisor adviser analyst director head "
    "headteacher headteachers psychologist member members worker workers".split()
)
_BODY_NOUNS = frozenset(
    "group subgroup team teams partnership committee service services forum forums board network panel unit".split()
)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by dashes, apostrophes and accents dropped.

    >>> slugify("Children's Rights Officer (Stirling)"), slugify("Zoë O’Brien")
    ('childrens-rights-officer-stirling', 'zoe-obrien')
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", text))


def _name_word(word: str) -> bool:
    """A capitalised word of letters, not an acronym: "Zoë", "O'Brien", "DeSouza", "McLean"; not "AHofS"."""
    letters = re.sub(r"['’-]", "", word)
    capitals = sum(c.isupper() for c in letters)
    return letters.isalpha() and word[0].isupper() and 1 <= capitals <= 2 and capitals < len(letters)


def _is_name(words: list[str]) -> bool:
    """Two to four words that read as a personal name: "Liam Purdie", "Val de Souza", "Val DeSouza"."""
    if not 2 <= len(words) <= 4 or not _name_word(words[0]) or not _name_word(words[-1]):
        return False
    if any(w.lower() in _NOT_NAME_WORDS for w in words):
        return False
    return all(_name_word(w) or w in _NAME_PARTICLES for w in words)


def _person(name: str, council: str | None) -> OwnerRole:
    scope = slugify(council) if council else ""
    canonical = PERSON_ALIASES.get((scope, " ".join(name.lower().split())), name)
    slug = slugify(canonical)
    return OwnerRole(f"{scope}/{slug}" if scope else slug, canonical, "person")


def _known(text: str) -> OwnerRole | None:
    slug = OWNER_ALIASES.get(alias_key(text))
    return ROLES[slug] if slug else None


def _unknown(text: str) -> OwnerRole:
    """A title no plan has printed yet: a role when it holds a title noun, else a body when it names one."""
    key = alias_key(text).split()
    kind: OwnerKind = "role"
    if not set(key) & _ROLE_NOUNS and set(key) & _BODY_NOUNS:
        kind = "organisation"
    return OwnerRole(slugify(" ".join(key)), text, kind)


def owner_parts(name: str, council: str | None = None) -> tuple[OwnerRole, ...]:
    """Everything one printed owner names: its role or organisation first, then the person, if printed.

    Parameters
    ----------
    name
        One owner as printed (after the owner cell is split).
    council
        The council of the plan; scopes a person's slug, since a name only identifies a person within one council.

    Returns
    -------
    tuple of OwnerRole
        Empty for a blank or placeholder owner ("TBC"); two parts for a name joined with a role; two for two
        known titles joined with "and" ("Independent Chair and Review Group").

    Examples
    --------
    >>> [p.slug for p in owner_parts("Anne Salter, Lead Officer Child Protection", "Clackmannanshire")]
    ['lead-officer-child-protection', 'clackmannanshire/anne-salter']
    >>> [p.slug for p in owner_parts("Independent Chair and Review Group")]
    ['independent-chair', 'review-group']
    """
    text = " ".join(name.split()).strip(" ,.;:")
    if alias_key(text) in _NOT_OWNERS:
        return ()
    known = _known(text)
    if known:
        return (known,)
    words = text.split()
    if _is_name(words):
        return (_person(text, council),)
    for i in range(2, min(5, len(words))):
        head, rest = [w.rstrip(",") for w in words[:i]], " ".join(words[i:]).strip(" ,")
        if _is_name(head) and (role := _known(rest)):
            return (role, _person(" ".join(head), council))
    halves = re.split(r"\s+(?:and|&)\s+", text, maxsplit=1)
    if len(halves) == 2 and all(_known(h) for h in halves):
        return tuple(r for h in halves if (r := _known(h)))
    for i in range(2, min(5, len(words))):
        head, rest = [w.rstrip(",") for w in words[:i]], " ".join(words[i:]).strip(" ,")
        if _is_name(head) and set(alias_key(rest).split()) & _ROLE_NOUNS:
            return (_unknown(rest), _person(" ".join(head), council))
    return (_unknown(text),)


def owner_role(name: str, council: str | None = None) -> OwnerRole | None:
    """The role of one printed owner; a personal name alone gives a person, a name with a role the role.

    Parameters
    ----------
    name
        One owner as printed.
    council
        The plan's council: a person's slug is scoped by it ("clackmannanshire/liam-purdie").

    Returns
    -------
    OwnerRole or None
        None for a blank or placeholder owner.

    Examples
    --------
    >>> owner_role("Virtual HT") == owner_role("VHT") == owner_role("Virtual Headteacher")
    True
    >>> owner_role("Senior Manager (Permanence)").slug
    'senior-manager-permanence'
    >>> owner_role("Liam Purdie", "Clackmannanshire")
    OwnerRole(slug='clackmannanshire/liam-purdie', label='Liam Purdie', kind='person')
    >>> owner_role("TBC") is None
    True
    """
    parts = owner_parts(name, council)
    return parts[0] if parts else None


def owner_roles(action: Action) -> tuple[OwnerRole, ...]:
    """Every role, organisation and person among an action's owners, de-duplicated, in printed order.

    A name printed with a role gives both, so "Liam Purdie AHOS Social Services" in one plan and "Liam Purdie"
    in another meet at the person, and Anne Salter meets the CPC plan's Lead Officer at the role.

    Parameters
    ----------
    action
        The action whose `owners` (already split) are read; its council scopes people.

    Returns
    -------
    tuple of OwnerRole

    Examples
    --------
    >>> from graphkit.records import Action, Source
    >>> action = Action("d:1", "d", "p", "Clackmannanshire", 2015, (2015, 2016), None, None, "t", None,
    ...     ("Liam Purdie AHofS Social Services", "CPC", "Liam Purdie"), None, None, None, "unknown", None, None,
    ...     None, (), None, False, (), (), Source("d", "d.txt", 1))
    >>> [r.slug for r in owner_roles(action)]
    ['assistant-head-of-service-social-services', 'clackmannanshire/liam-purdie', 'child-protection-committee']
    """
    seen: dict[str, OwnerRole] = {}
    for printed in action.owners:
        for part in owner_parts(printed, action.council):
            seen.setdefault(part.slug, part)
    return tuple(seen.values())
