"""Checking stages, groups and places of a season file, and generating the fixtures it asks for.

Groups are read in two passes: first every group's key, stage and round (so a place may refer
to any group of the file), then its places and matches. A reference must point to an earlier
stage, or an earlier round of the same stage, and to a rank the group has.
"""

import re
from dataclasses import dataclass, field

from tournaments.models import STAGE_ORDER, GroupFormat, StageKind, Structure
from tournaments.scheduling import round_robin, two_legged_tie
from tournaments.services.seasons import GroupSpec, MatchSpec, PlaceSpec, StageSpec

from .matches import validate_match
from .reader import Fields, Problems, at, check_name, quoted

STAGE_FIELDS = ("kind", "starts_on", "ends_on", "notes", "groups")
GROUP_FIELDS = (
    "key",
    "name",
    "region",
    "format",
    "qualify",
    "round",
    "order",
    "structure",
    "structure_note",
    "generate_fixtures",
    "places",
    "matches",
)
PLACE_FIELDS = ("team", "from", "rank", "label")
PLACE_WHAT = 'a team name or an object with "team" or "from"'
KEY = re.compile(r"[-A-Za-z0-9_]+")
LONG_TEXT = 20_000
LABEL_LENGTH = 120


@dataclass
class Draft:
    """A group read in the first pass, with what the second pass still has to check."""

    spec: GroupSpec
    path: str
    stage_order: int | None
    generate: bool | None
    places: list | None
    matches: list | None


@dataclass
class Context:
    """What the checks of one group need to know about the rest of the file."""

    problems: Problems
    teams: set[str]
    regions: set[int]
    groups: dict[str, Draft] = field(default_factory=dict)
    references: dict[tuple[str, int], str] = field(default_factory=dict)


def default_label(rank: int, group_name: str) -> str:
    """The Spanish label of a place filled from a group: "Ganador Grupo A", "2º Grupo B"."""
    label = f"Ganador {group_name}" if rank == 1 else f"{rank}º {group_name}"
    return label[:LABEL_LENGTH]


def validate_stages(raw: list | None, context: Context) -> list[StageSpec]:
    """Check every stage with its groups, places and matches; returns them as specs."""
    stages, drafts = [], []
    kinds: dict[str, str] = {}
    for index, value in enumerate(raw or []):
        stage, stage_drafts = _stage(value, at("stages", index), context, kinds)
        stages.append(stage)
        drafts.extend(stage_drafts)
    for draft in drafts:
        _complete(draft, context)
    return stages


def _stage(value, path: str, context: Context, kinds: dict[str, str]):
    fields = Fields(value, path, context.problems, allowed=STAGE_FIELDS)
    kind = fields.choice("kind", StageKind.values, required=fields.ok, noun="stage kind")
    if kind in kinds:
        fields.error("kind", f"stage kind {quoted(kind)} is already used by {kinds[kind]}")
    elif kind is not None:
        kinds[kind] = path
    starts_on, ends_on = fields.date("starts_on"), fields.date("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        fields.error("ends_on", f"the stage ends ({ends_on}) before it starts ({starts_on})")
    notes = fields.text("notes", max_length=LONG_TEXT)
    drafts = [
        _group_header(group, at(at(path, "groups"), index), STAGE_ORDER.get(kind), context)
        for index, group in enumerate(fields.list("groups") or [])
    ]
    stage = StageSpec(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
        groups=[draft.spec for draft in drafts],
    )
    return stage, drafts


def _group_header(value, path: str, stage_order: int | None, context: Context) -> Draft:
    fields = Fields(value, path, context.problems, allowed=GROUP_FIELDS)
    spec = GroupSpec(
        key=_group_key(fields, context),
        name=fields.text("name", required=fields.ok, name=True),
        format=fields.choice("format", GroupFormat.values, required=fields.ok, noun="format"),
        region=_group_region(fields, context),
        qualify=fields.integer("qualify", default=1, maximum=999),
        round=fields.integer("round", default=1, minimum=1, maximum=99),
        order=fields.integer("order", default=0, maximum=9999),
        structure=fields.choice(
            "structure", Structure.values, default=Structure.PUBLISHED.value, noun="structure"
        ),
        structure_note=fields.text("structure_note", max_length=LONG_TEXT),
    )
    draft = Draft(
        spec=spec,
        path=path,
        stage_order=stage_order,
        generate=fields.boolean("generate_fixtures", default=False),
        places=fields.list("places", required=fields.ok),
        matches=fields.list("matches"),
    )
    if spec.key is not None:
        context.groups[spec.key] = draft
    return draft


def _group_key(fields: Fields, context: Context) -> str | None:
    key = fields.text("key", required=fields.ok, name=True, max_length=60)
    if key is None:
        return None
    if not KEY.fullmatch(key):
        fields.error(
            "key", f'must use only letters, digits, "-" and "_" (like "R1-A"), got {quoted(key)}'
        )
        return None
    if key in context.groups:
        fields.error(
            "key", f"group key {quoted(key)} is already used by {context.groups[key].path}"
        )
        return None
    return key


def _group_region(fields: Fields, context: Context) -> int | None:
    region = fields.integer("region", minimum=1, maximum=99)
    if region is not None and region not in context.regions:
        fields.error("region", f'region {region} is not in "regions"')
        return None
    return region


def _complete(draft: Draft, context: Context) -> None:
    """Second pass: places (references now resolvable), their number, then matches."""
    spec = draft.spec
    seen: dict[str, str] = {}
    places_path = at(draft.path, "places")
    spec.places = [
        _place(value, at(places_path, index), draft, context, seen)
        for index, value in enumerate(draft.places or [])
    ]
    if draft.places is not None:
        _check_size(draft, context.problems)
    matches_path = at(draft.path, "matches")
    spec.matches = [
        validate_match(value, at(matches_path, index), spec.places, context)
        for index, value in enumerate(draft.matches or [])
    ]
    if draft.generate and spec.matches:
        context.problems.add(
            at(draft.path, "generate_fixtures"),
            'is true but "matches" are listed too: give the matches or generate them, not both',
        )
    elif draft.generate:
        spec.matches = _generated(spec)


def _check_size(draft: Draft, problems: Problems) -> None:
    spec, count = draft.spec, len(draft.spec.places)
    if spec.format == GroupFormat.TWO_LEGGED_TIE and count != 2:
        problems.add(
            at(draft.path, "places"), f"a two-legged tie needs exactly 2 places, got {count}"
        )
    elif count < 2:
        problems.add(at(draft.path, "places"), f"a group needs at least 2 places, got {count}")
    if spec.qualify is not None and spec.qualify > count:
        problems.add(
            at(draft.path, "qualify"),
            f"{spec.qualify} teams cannot qualify from a group of {count} places",
        )


def _place(value, path: str, draft: Draft, context: Context, seen: dict[str, str]) -> PlaceSpec:
    """A place: a team name, {"team": ...}, or a reference {"from": KEY, "rank": N, ...}."""
    if isinstance(value, str):
        name = check_name(value, path, context.problems)
        place = PlaceSpec(team=_known_team(name, path, context))
    else:
        fields = Fields(value, path, context.problems, allowed=PLACE_FIELDS, what=PLACE_WHAT)
        place = _place_object(fields, draft, context)
    if place.team in seen:
        context.problems.add(
            path, f"team {quoted(place.team)} is already in this group (at {seen[place.team]})"
        )
    elif place.team is not None:
        seen[place.team] = path
    return place


def _place_object(fields: Fields, draft: Draft, context: Context) -> PlaceSpec:
    team = fields.text("team", default=None, name=True)
    team = _known_team(team, at(fields.path, "team"), context)
    source = fields.text("from", default=None, name=True, max_length=60)
    rank = fields.integer("rank", minimum=1, maximum=999)
    label = fields.text("label", default=None, max_length=LABEL_LENGTH)
    if fields.ok and not fields.has("team") and not fields.has("from"):
        context.problems.add(fields.path, 'needs "team" or "from" (with "rank")')
    if not fields.has("from") and fields.has("rank"):
        fields.error("rank", 'only goes with "from"')
    if fields.has("from") and not fields.has("rank"):
        fields.error("rank", 'is required with "from"')
    if source is not None:
        source = _reference(fields, source, rank, draft, context)
    if label is None and source is not None and rank is not None:
        label = default_label(rank, context.groups[source].spec.name or source)
    return PlaceSpec(
        team=team,
        source_key=source,
        source_rank=rank if source is not None else None,
        label=label or "",
    )


def _known_team(name: str | None, path: str, context: Context) -> str | None:
    if name is not None and name not in context.teams:
        context.problems.add(path, f'unknown team {quoted(name)} (not in "teams")')
        return None
    return name


def _reference(fields: Fields, key: str, rank, draft: Draft, context: Context) -> str | None:
    """The key of the earlier group a place is filled from, or None if the reference is bad."""
    source = context.groups.get(key)
    if source is None:
        fields.error("from", f"refers to group {quoted(key)}, which does not exist")
        return None
    if source is draft:
        fields.error("from", f"refers to its own group {quoted(key)}")
        return None
    if not _earlier(source, draft):
        fields.error(
            "from",
            f"refers to group {quoted(key)}, which is not earlier: a place is filled from an "
            "earlier stage or an earlier round of the same stage",
        )
        return None
    size = len(source.places) if source.places is not None else None
    if rank is not None and size is not None and rank > size:
        fields.error("rank", f"rank {rank} is out of range: group {quoted(key)} has {size} places")
        return None
    other = context.references.get((key, rank))
    if other is not None:
        context.problems.add(
            fields.path, f"rank {rank} of group {quoted(key)} already fills {other}"
        )
    elif rank is not None:
        context.references[key, rank] = fields.path
    return key


def _earlier(source: Draft, draft: Draft) -> bool:
    if source.stage_order is None or draft.stage_order is None:
        return True  # an unknown stage kind is reported already
    if source.stage_order != draft.stage_order:
        return source.stage_order < draft.stage_order
    if source.spec.round is None or draft.spec.round is None:
        return True
    return source.spec.round < draft.spec.round


def _generated(spec: GroupSpec) -> list[MatchSpec]:
    """Fixtures by the group's format: round robin (circle method) or the two legs of a tie."""
    count = len(spec.places)
    tie = spec.format == GroupFormat.TWO_LEGGED_TIE
    if spec.format is None or count < 2 or (tie and count != 2):
        return []  # the problem is reported already
    positions = [str(position) for position in range(1, count + 1)]
    if tie:
        fixtures = two_legged_tie(*positions)
    else:
        fixtures = round_robin(positions, double=spec.format == GroupFormat.DOUBLE_ROUND_ROBIN)
    return [
        MatchSpec(
            home=int(f.home),
            away=int(f.away),
            matchday=f.matchday,
            kind=f.kind,
            playoff_round=f.round,
            neutral=f.neutral,
        )
        for f in fixtures
    ]
