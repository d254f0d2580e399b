"""Admin forms for results day. They hold no rules: every result goes through the services.

A result form carries the match's version as the official loaded it (a hidden field) and the
scores as they were loaded (hidden initial values), so a row counts as changed only when this
official changed it, and a save over somebody else's newer result is refused by the service
instead of silently overwriting it. The services' ValidationErrors, translated, become the
form's errors; a page of results is saved whole or not at all.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tournaments import permissions
from tournaments.models import Group, Match, MatchKind
from tournaments.services.results import (
    DEFAULT_AWARD_SCORE,
    match_award,
    match_clear_result,
    match_record_result,
    match_update_details,
)

GOALS = ("home_goals", "away_goals")
PENALTIES = ("home_penalties", "away_penalties")
SCORE_FIELDS = GOALS + PENALTIES
DETAILS = ("kickoff", "venue", "neutral")
GROUP_FORM_FIELDS = (
    "season",
    "stage",
    "region",
    "key",
    "name",
    "format",
    "qualify",
    "round",
    "order",
    "structure",
    "structure_note",
)
EMPTY = (None, "")


class ScoreInput(forms.TextInput):
    """A two-digit box that brings up the numeric keypad on a phone."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": "2",
            "maxlength": "3",
            "class": "score-input",
        }
        super().__init__({**defaults, **(attrs or {})})


class NoShootout(forms.Widget):
    """Shown instead of a penalty box where no shoot-out can happen (a regular match).

    A value posted anyway still reaches the service, which refuses it with its message.
    """

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '<span class="no-shootout" title="{}">–</span>',
            gettext("No penalty shoot-out in a regular match."),
        )


class VersionField(forms.IntegerField):
    """The match's version when the official loaded it; never counts as a change."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


def score_field(label) -> forms.CharField:
    # Text, not a number field: the service says what is wrong with "x" or "-1", in words.
    return forms.CharField(
        label=label, required=False, show_hidden_initial=True, widget=ScoreInput()
    )


def _blank(value) -> bool:
    return value in EMPTY


class ResultFieldsMixin:
    """The score fields of a match form and the service call that writes them."""

    def setup_result_fields(self) -> None:
        self.initial.setdefault("loaded_version", self.instance.version)
        if self.instance.kind != MatchKind.PLAYOFF:
            for name in PENALTIES:
                if name in self.fields:
                    label = self.fields[name].label
                    self.fields[name] = forms.CharField(
                        label=label, required=False, widget=NoShootout()
                    )

    def take_result(self, cleaned: dict) -> None:
        """Keep the typed scores for the service; the form itself never writes them."""
        self.result = {name: cleaned.pop(name, None) for name in SCORE_FIELDS}
        self.loaded_version = cleaned.pop("loaded_version", None)

    @property
    def result_changed(self) -> bool:
        return any(name in self.changed_data for name in SCORE_FIELDS)

    def save_result(self, user) -> Match:
        """Record the typed score, or take the result back when every box was emptied."""
        result = {name: (None if _blank(value) else value) for name, value in self.result.items()}
        if all(value is None for value in result.values()):
            return match_clear_result(
                match=self.instance.pk, user=user, expected_version=self.loaded_version
            )
        return match_record_result(
            match=self.instance.pk, user=user, expected_version=self.loaded_version, **result
        )


class ResultRowForm(ResultFieldsMixin, forms.ModelForm):
    """One editable row of the results-day list (or of a group's matches)."""

    home_goals = score_field(_("home goals"))
    away_goals = score_field(_("away goals"))
    home_penalties = score_field(_("home penalties"))
    away_penalties = score_field(_("away penalties"))
    loaded_version = VersionField(min_value=0)

    class Meta:
        model = Match
        fields = SCORE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_result_fields()

    def clean(self):
        cleaned = super().clean()
        self.take_result(cleaned)
        return cleaned


class _Undo(Exception):
    """Leaves the transaction of a page of results, rolling every row back."""


def record_results(forms_to_save, user) -> bool:
    """Save each changed row through the services, all or none.

    Rows are written in group order (the services lock the group's row), each in a savepoint
    so every failing row gets its message; if any fails, the whole page is rolled back.
    """
    failed = False
    try:
        with transaction.atomic():
            for form in sorted(forms_to_save, key=lambda f: (f.instance.group_id, f.instance.pk)):
                try:
                    with transaction.atomic():
                        form.save_result(user)
                except ValidationError as error:
                    form.add_error(None, error)
                    failed = True
            if failed:
                raise _Undo
    except _Undo:
        pass
    return not failed


class RecordResultsMixin:
    """A formset of result rows that writes the changed rows through the services in clean()."""

    user = None

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        changed = [
            form
            for form in self.forms
            if getattr(form, "result_changed", False) and form.instance.pk is not None
        ]
        if changed and not record_results(changed, self.user):
            raise ValidationError(
                gettext("Nothing was saved: correct the results marked below and save again.")
            )

    def save(self, commit=True):
        """Nothing left to write: the services saved each changed row during clean().

        Saving the forms' own instances here would write back the values loaded with the
        page over the results the services have just stored. The lists below feed the
        admin's change message (its log entry) as a normal save would.
        """
        self.new_objects, self.deleted_objects = [], []
        self.changed_objects = [
            (form.instance, form.changed_data)
            for form in self.forms
            if getattr(form, "result_changed", False)
        ]
        return []


class ResultFormSet(RecordResultsMixin, BaseModelFormSet):
    """The results-day list's editable rows."""


class ResultInlineFormSet(RecordResultsMixin, BaseInlineFormSet):
    """A group's matches on the group's page."""


class MatchForm(ResultFieldsMixin, forms.ModelForm):
    """A match's own page: its result (through the services) and its date and ground."""

    home_goals = score_field(_("home goals"))
    away_goals = score_field(_("away goals"))
    home_penalties = score_field(_("home penalties"))
    away_penalties = score_field(_("away penalties"))
    loaded_version = VersionField(min_value=0)
    user = None

    class Meta:
        model = Match
        fields = (*SCORE_FIELDS, *DETAILS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_result_fields()

    def clean(self):
        cleaned = super().clean()
        self.take_result(cleaned)
        if self.errors:
            return cleaned
        details = {name: cleaned[name] for name in DETAILS if name in self.changed_data}
        if not (self.result_changed or details):
            return cleaned
        with transaction.atomic():
            version = self.loaded_version
            if self.result_changed:
                version = self.save_result(self.user).version
            if details:
                match_update_details(
                    match=self.instance, details=details, user=self.user, expected_version=version
                )
        return cleaned


class MatchAddForm(forms.ModelForm):
    """A hand-made fixture between two places of one group (no result: enter it afterwards)."""

    class Meta:
        model = Match
        fields = ("group", "home", "away", "matchday", "kickoff", "venue", "neutral")

    def clean(self):
        cleaned = super().clean()
        group, home, away = cleaned.get("group"), cleaned.get("home"), cleaned.get("away")
        if home is not None and away is not None:
            if home.pk == away.pk or (home.team_id and home.team_id == away.team_id):
                raise ValidationError(gettext("A team cannot play against itself."))
            if group is not None and group.pk not in (home.group_id, away.group_id):
                raise ValidationError(gettext("Both places must belong to the match's group."))
            if home.group_id != away.group_id:
                raise ValidationError(gettext("Both places must belong to the match's group."))
        return cleaned


class AwardForm(forms.Form):
    """Award a match to one side: walkover or a decision of the authorities (3–0 by default)."""

    winner = forms.ChoiceField(label=_("awarded to"), widget=forms.RadioSelect)
    winner_goals = forms.CharField(
        label=_("goals for the winner"), initial=DEFAULT_AWARD_SCORE[0], widget=ScoreInput()
    )
    loser_goals = forms.CharField(
        label=_("goals for the loser"), initial=DEFAULT_AWARD_SCORE[1], widget=ScoreInput()
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=200,
        help_text=_("For example: walkover, or the decision of the competition's authorities."),
    )
    loaded_version = VersionField(min_value=0)

    def __init__(self, *args, match: Match, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.match = match
        self.user = user
        self.fields["loaded_version"].initial = match.version
        self.fields["winner"].choices = [
            ("home", _("%(team)s (home)") % {"team": match.home.display}),
            ("away", _("%(team)s (away)") % {"team": match.away.display}),
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.saved = match_award(
            match=self.match.pk,
            winner=cleaned["winner"],
            reason=cleaned.get("reason", ""),
            score=(cleaned["winner_goals"], cleaned["loser_goals"]),
            user=self.user,
            expected_version=cleaned["loaded_version"],
        )
        return cleaned


class GroupForm(forms.ModelForm):
    """A group or tie, kept inside the official's scope and inside one season."""

    user = None

    class Meta:
        model = Group
        fields = GROUP_FORM_FIELDS

    def clean(self):
        cleaned = super().clean()
        season, stage, region = (cleaned.get(name) for name in ("season", "stage", "region"))
        if season is None:
            return cleaned
        if stage is not None and stage.season_id != season.pk:
            self.add_error("stage", gettext("This stage belongs to another season."))
        if region is not None and region.season_id != season.pk:
            self.add_error("region", gettext("This region belongs to another season."))
        region_id = region.pk if region is not None else None
        if not permissions.user_scope(self.user).covers(season.pk, region_id):
            raise ValidationError(
                gettext("You can only set up groups in the regions you are assigned to.")
            )
        return cleaned
