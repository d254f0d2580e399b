"""The entities of a Copa Perú season and the constraints the database must never break.

A season is data: stages hold groups (round robins or two-legged ties), groups hold places
(a team, or a reference such as "rank 1 of group R1-A" filled later) and matches between
places. Nothing about the 2003 format is hard-coded here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def roman(number: int) -> str:
    """Roman numeral for a region number (1 → "I"); plain digits past the table."""
    return ROMAN[number - 1] if 1 <= number <= len(ROMAN) else str(number)


class Department(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("department")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Season(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    points_win = models.PositiveSmallIntegerField(_("points for a win"), default=3)
    points_draw = models.PositiveSmallIntegerField(_("points for a draw"), default=1)
    points_loss = models.PositiveSmallIntegerField(_("points for a loss"), default=0)
    confirmation_required = models.BooleanField(
        _("results need a second official's confirmation"), default=True
    )
    simulated = models.BooleanField(
        _("simulated"), default=False, help_text=_("Generated data, not a real season.")
    )
    source = models.TextField(_("source"), blank=True, help_text=_("Where this data comes from."))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(points_win__gt=F("points_draw")) & Q(points_draw__gte=F("points_loss")),
                name="season_points_win_gt_draw_gte_loss",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="regions", verbose_name=_("season")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    departments = models.ManyToManyField(
        Department, related_name="regions", blank=True, verbose_name=_("departments")
    )

    class Meta:
        ordering = ["season_id", "number"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="region_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="region_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.season.year})"

    @property
    def numeral(self) -> str:
        return roman(self.number)

    @property
    def name(self) -> str:
        return _("Region %(numeral)s") % {"numeral": self.numeral}


class StageKind(models.TextChoices):
    DISTRICT = "district", _("District stage")
    PROVINCIAL = "provincial", _("Provincial stage")
    DEPARTMENTAL = "departmental", _("Departmental stage")
    REGIONAL = "regional", _("Regional stage")
    NATIONAL = "national", _("National stage")


STAGE_ORDER = {kind: index for index, kind in enumerate(StageKind.values, start=1)}


class Stage(models.Model):
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="stages", verbose_name=_("season")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["season_id", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["season", "kind"], name="stage_unique_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.season.year}"

    def save(self, *args, **kwargs):
        if not self.order:
            self.order = STAGE_ORDER[self.kind]
        super().save(*args, **kwargs)


class GroupFormat(models.TextChoices):
    SINGLE_ROUND_ROBIN = "single_rr", _("Single round robin")
    DOUBLE_ROUND_ROBIN = "double_rr", _("Double round robin")
    TWO_LEGGED_TIE = "tie", _("Two-legged tie")


class Structure(models.TextChoices):
    PUBLISHED = "published", _("Published")
    ASSUMED = "assumed", _("Assumed")


class Group(models.Model):
    """A mini-league or a tie inside a stage (optionally inside a region), in a round."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="groups", verbose_name=_("season")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="groups", verbose_name=_("stage")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="groups",
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("Unique within the season, e.g. R1-A or QF1.")
    )
    name = models.CharField(_("name"), max_length=120)
    format = models.CharField(_("format"), max_length=20, choices=GroupFormat.choices)
    qualify = models.PositiveSmallIntegerField(_("teams that qualify"), default=1)
    round = models.PositiveSmallIntegerField(
        _("round"), default=1, help_text=_("Order of play within the stage (1 = first round).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    structure = models.CharField(
        _("structure"), max_length=12, choices=Structure.choices, default=Structure.PUBLISHED
    )
    structure_note = models.TextField(_("structure note"), blank=True)

    class Meta:
        ordering = ["season_id", "stage_id", "round", "order", "key"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["season", "key"], name="group_unique_key"),
        ]
        indexes = [models.Index(fields=["stage", "region"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def is_tie(self) -> bool:
        return self.format == GroupFormat.TWO_LEGGED_TIE

    @property
    def is_assumed(self) -> bool:
        return self.structure == Structure.ASSUMED


class Place(models.Model):
    """A slot in a group: a team, or a reference to a rank of an earlier group."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="places", verbose_name=_("group")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="places",
        null=True,
        blank=True,
        verbose_name=_("team"),
    )
    source_group = models.ForeignKey(
        Group,
        on_delete=models.RESTRICT,
        related_name="feeds",
        null=True,
        blank=True,
        verbose_name=_("source group"),
    )
    source_rank = models.PositiveSmallIntegerField(_("source rank"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=120, blank=True)

    class Meta:
        ordering = ["group_id", "position"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="place_unique_position"),
            models.UniqueConstraint(
                fields=["group", "team"],
                condition=Q(team__isnull=False),
                name="place_team_once_per_group",
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(source_group__isnull=False),
                name="place_team_or_source",
            ),
            models.CheckConstraint(
                condition=Q(source_group__isnull=True) | Q(source_rank__gte=1),
                name="place_source_has_rank",
            ),
        ]

    def __str__(self) -> str:
        return self.team.name if self.team_id else self.label or f"#{self.position}"

    @property
    def display(self) -> str:
        return self.team.name if self.team_id else self.label


class MatchKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    PLAYOFF = "playoff", _("Playoff / third match")


class MatchStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PLAYED = "played", _("Played")
    AWARDED = "awarded", _("Awarded")
    POSTPONED = "postponed", _("Postponed")


class Match(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="matches", verbose_name=_("group")
    )
    home = models.ForeignKey(
        Place, on_delete=models.RESTRICT, related_name="home_matches", verbose_name=_("home")
    )
    away = models.ForeignKey(
        Place, on_delete=models.RESTRICT, related_name="away_matches", verbose_name=_("away")
    )
    matchday = models.PositiveSmallIntegerField(_("matchday or leg"), default=1)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MatchKind.choices, default=MatchKind.REGULAR
    )
    playoff_round = models.PositiveSmallIntegerField(_("playoff round"), default=0)
    kickoff = models.DateTimeField(_("kickoff"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    neutral = models.BooleanField(_("neutral ground"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.SCHEDULED
    )
    home_goals = models.PositiveSmallIntegerField(_("home goals"), null=True, blank=True)
    away_goals = models.PositiveSmallIntegerField(_("away goals"), null=True, blank=True)
    home_penalties = models.PositiveSmallIntegerField(_("home penalties"), null=True, blank=True)
    away_penalties = models.PositiveSmallIntegerField(_("away penalties"), null=True, blank=True)
    awarded_reason = models.CharField(_("reason for the award"), max_length=200, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group_id", "-kind", "playoff_round", "matchday", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        # PostgreSQL also has match_latest_first (migration 0004), for the latest results.
        indexes = [models.Index(fields=["kickoff"]), models.Index(fields=["group", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(home=F("away")), name="match_home_not_away"),
            models.CheckConstraint(
                condition=Q(home_goals__isnull=True, away_goals__isnull=True)
                | Q(home_goals__gte=0, away_goals__gte=0),
                name="match_goals_both_or_none",
            ),
            models.CheckConstraint(
                condition=Q(home_penalties__isnull=True, away_penalties__isnull=True)
                | Q(kind="playoff", home_penalties__gte=0, away_penalties__gte=0),
                name="match_penalties_only_in_playoff",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["played", "awarded"])
                | Q(home_goals__isnull=False, away_goals__isnull=False),
                name="match_result_has_goals",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["played", "awarded"])
                | Q(home_goals__isnull=True, away_goals__isnull=True),
                name="match_goals_only_when_played",
            ),
            models.CheckConstraint(
                condition=Q(kind="playoff", playoff_round__gte=1)
                | Q(kind="regular", playoff_round=0),
                name="match_playoff_round_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.home} – {self.away}"

    @property
    def has_result(self) -> bool:
        return self.status in (MatchStatus.PLAYED, MatchStatus.AWARDED)

    @property
    def is_awarded(self) -> bool:
        return self.status == MatchStatus.AWARDED


class OfficialAssignment(models.Model):
    """An official's scope: one region of a season, or the whole season (no region)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("official"),
    )
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("season")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("region"),
        help_text=_("Leave empty for the whole season."),
    )

    class Meta:
        verbose_name = _("official assignment")
        verbose_name_plural = _("official assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "season", "region"], name="assignment_unique_region"
            ),
            models.UniqueConstraint(
                fields=["user", "season"],
                condition=Q(region__isnull=True),
                name="assignment_unique_whole_season",
            ),
        ]

    def __str__(self) -> str:
        scope = self.region.name if self.region_id else _("whole season")
        return f"{self.user} · {self.season.year} · {scope}"
