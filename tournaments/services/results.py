"""Writes of match results: record, confirm, award, clear.

Every service validates first, locks the group's row so that officials saving results of one
group at the same moment are serialised (no lost update, no places filled from stale
standings), writes, and recomputes the group and the rounds it feeds. Errors are Django
ValidationErrors with a translated message; nothing is saved when one is raised.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tournaments.models import Group, Match, MatchKind, MatchStatus, Season
from tournaments.services.progression import group_recompute

DEFAULT_AWARD_SCORE = (3, 0)


class StaleResult(ValidationError):
    """The match changed since the official opened it; their save would overwrite it."""


def _goals(value, field: str) -> int:
    """A score is a whole number, zero or more; anything else is refused with a message."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("%(field)s: enter a whole number of goals.") % {"field": field})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a number of goals.") % {"field": field, "value": value}
        ) from None
    if str(number) != str(value).strip() and not isinstance(value, int):
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a whole number.") % {"field": field, "value": value}
        )
    if number < 0:
        raise ValidationError(_("%(field)s: goals cannot be negative.") % {"field": field})
    return number


def _lock(match: Match | int) -> tuple[Match, Season]:
    """Lock the match's group (serialises writers of one group) and reload the match."""
    match_id = match if isinstance(match, int) else match.pk
    group_id = Match.objects.values_list("group_id", flat=True).get(pk=match_id)
    Group.objects.select_for_update().get(pk=group_id)
    fresh = Match.objects.select_related("home", "away", "group__season").get(pk=match_id)
    return fresh, fresh.group.season


def _check_version(match: Match, expected_version: int | None) -> None:
    if expected_version is not None and match.version != expected_version:
        raise StaleResult(
            _(
                "Someone else changed this match (%(match)s) while you were editing it. "
                "Reload it and enter the result again."
            )
            % {"match": match}
        )


def _check_teams_known(match: Match) -> None:
    if match.home.team_id is None or match.away.team_id is None:
        raise ValidationError(
            _("The teams of %(match)s are not known yet: a result cannot be entered.")
            % {"match": match}
        )


def _penalties(match: Match, home_goals: int, away_goals: int, home_pens, away_pens):
    """Penalties only in a playoff or third match that ended level, and they must differ."""
    if home_pens in (None, "") and away_pens in (None, ""):
        return None, None
    if match.kind != MatchKind.PLAYOFF:
        raise ValidationError(
            _("Penalties are only taken in a playoff or third match, not in %(match)s.")
            % {"match": match}
        )
    if home_goals != away_goals:
        raise ValidationError(_("Penalties are only taken when the match ends level."))
    home = _goals(home_pens, _("home penalties"))
    away = _goals(away_pens, _("away penalties"))
    if home == away:
        raise ValidationError(_("A penalty shoot-out cannot end level."))
    return home, away


class _DryRun(Exception):
    """Raised to roll back a savepoint after checking what a result would change."""


def _check_not_blocked(match: Match) -> None:
    """Refuse now a provisional result that, once confirmed, a later result would block."""
    try:
        with transaction.atomic():
            match.confirmed = True
            match.save()
            group_recompute(group=match.group)
            raise _DryRun
    except _DryRun:
        pass


def _save(match: Match, season: Season, user, fields: dict) -> Match:
    """Write a result; progression follows at once, or at confirmation when one is needed.

    A provisional correction of a confirmed result leaves the places as the confirmed result
    decided them until it is confirmed in turn.
    """
    for name, value in fields.items():
        setattr(match, name, value)
    match.entered_by = user if user is not None and user.is_authenticated else None
    match.confirmed_by = None
    match.version += 1
    if season.confirmation_required and match.has_result:
        _check_not_blocked(match)
        match.confirmed = False
        match.save()
    else:
        # No confirmation needed, or a result taken back: progression follows at once.
        match.confirmed = match.has_result
        match.save()
        group_recompute(group=match.group)
    return match


def match_record_result(
    *,
    match: Match | int,
    home_goals,
    away_goals,
    home_penalties=None,
    away_penalties=None,
    user=None,
    expected_version: int | None = None,
) -> Match:
    """Record a played match's score (and penalties where a shoot-out can happen).

    The result is provisional until a second official confirms it, when the season asks for
    confirmation; it counts for progression once confirmed. A change that would alter a place
    a later result depends on is refused (ProgressionBlocked) and nothing is saved.
    """
    home = _goals(home_goals, _("home goals"))
    away = _goals(away_goals, _("away goals"))
    with transaction.atomic():
        match, season = _lock(match)
        _check_version(match, expected_version)
        _check_teams_known(match)
        pens = _penalties(match, home, away, home_penalties, away_penalties)
        fields = {
            "home_goals": home,
            "away_goals": away,
            "home_penalties": pens[0],
            "away_penalties": pens[1],
            "status": MatchStatus.PLAYED,
            "awarded_reason": "",
        }
        return _save(match, season, user, fields)


def match_award(
    *,
    match: Match | int,
    winner: str,
    reason: str,
    score: tuple[int, int] = DEFAULT_AWARD_SCORE,
    user=None,
    expected_version: int | None = None,
) -> Match:
    """Award a match to one side (walkover or a decision of the authorities), 3–0 by default.

    It counts as a win and a loss like any result and is marked as awarded wherever it shows.
    `winner` is "home" or "away"; a reason is required.
    """
    if winner not in ("home", "away"):
        raise ValidationError(_("Choose which side the match is awarded to: home or away."))
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for awarding the match."))
    high, low = (_goals(score[0], _("awarded score")), _goals(score[1], _("awarded score")))
    if high <= low:
        raise ValidationError(_("An awarded score must give the winner more goals."))
    with transaction.atomic():
        match, season = _lock(match)
        _check_version(match, expected_version)
        _check_teams_known(match)
        goals = (high, low) if winner == "home" else (low, high)
        fields = {
            "home_goals": goals[0],
            "away_goals": goals[1],
            "home_penalties": None,
            "away_penalties": None,
            "status": MatchStatus.AWARDED,
            "awarded_reason": reason.strip(),
        }
        return _save(match, season, user, fields)


def match_clear_result(*, match: Match | int, user=None, expected_version=None) -> Match:
    """Take a result back (the match is scheduled again); refused if a later result needs it."""
    with transaction.atomic():
        match, season = _lock(match)
        _check_version(match, expected_version)
        fields = {
            "home_goals": None,
            "away_goals": None,
            "home_penalties": None,
            "away_penalties": None,
            "status": MatchStatus.SCHEDULED,
            "awarded_reason": "",
        }
        return _save(match, season, user, fields)


def match_confirm_result(*, match: Match | int, user) -> Match:
    """A second official confirms an entered result; then it counts for progression.

    The official who entered the result cannot confirm it.
    """
    with transaction.atomic():
        match, season = _lock(match)
        if not match.has_result:
            raise ValidationError(_("%(match)s has no result to confirm.") % {"match": match})
        if match.confirmed:
            raise ValidationError(_("%(match)s is already confirmed.") % {"match": match})
        if user is None or not user.is_authenticated:
            raise ValidationError(_("Only a logged-in official can confirm a result."))
        if match.entered_by_id == user.pk:
            raise ValidationError(
                _("You entered the result of %(match)s: another official must confirm it.")
                % {"match": match}
            )
        match.confirmed = True
        match.confirmed_by = user
        match.version += 1
        match._change_reason = "confirmed"
        match.save(update_fields=["confirmed", "confirmed_by", "version", "updated_at"])
        group_recompute(group=match.group)
        return match


DETAIL_FIELDS = ("kickoff", "venue", "neutral")


def match_update_details(
    *, match: Match | int, details: dict, user=None, expected_version: int | None = None
) -> Match:
    """Change when and where a match is played: kickoff, venue, neutral ground.

    Locks the group like a result does (so it never deadlocks with one) and refuses a save
    over a newer version of the match instead of overwriting it.
    """
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a match detail: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        match, _season = _lock(match)
        _check_version(match, expected_version)
        for name, value in details.items():
            setattr(match, name, value)
        match.version += 1
        match.save(update_fields=[*details, "version", "updated_at"])
    return match
