"""Any damage to a season file loads completely or fails clearly, never half-way."""

import copy
import json
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tournaments.models import Group, Place, Region, Season, Team

FILE_2003 = Path(settings.BASE_DIR) / "data" / "copa-peru-2003.json"
BASE = json.loads(FILE_2003.read_text(encoding="utf-8"))
TEAM_NAMES = [team["name"] for team in BASE["teams"]]


def _paths(node, prefix=()):
    """Every place in the document: tuples of keys and list indices."""
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _parent(document, path):
    for step in path[:-1]:
        document = document[step]
    return document


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(max_value=-1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "2003-11-01", "R1-A", "playoff", "tie", "Lima", *TEAM_NAMES[:5]]),
    st.lists(st.integers(min_value=0, max_value=3), max_size=2),
    st.dictionaries(st.sampled_from(["home", "away", "team", "from"]), st.integers(0, 3)),
)


@st.composite
def mutation(draw, document):
    """Change one place of `document` in one of the ways a hand-edited file goes wrong."""
    paths = [p for p in _paths(document) if _exists(document, p)]
    path = draw(st.sampled_from(paths))
    parent, last = _parent(document, path), path[-1]
    how = draw(st.sampled_from(["delete", "replace", "negative", "duplicate", "rename"]))
    if how == "delete":
        del parent[last]
    elif how == "negative":
        parent[last] = draw(st.integers(min_value=-(10**9), max_value=-1))
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif how == "rename" and isinstance(parent[last], str):
        parent[last] = draw(st.sampled_from([*TEAM_NAMES, "Atletico Gru", parent[last] + " "]))
    else:
        parent[last] = draw(ANY_VALUE)
    return path, how


def _exists(document, path) -> bool:
    try:
        _parent(document, path)[path[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


def snapshot() -> dict[str, int]:
    models = apps.get_app_config("tournaments").get_models()
    return {model.__name__: model._default_manager.count() for model in models}


def _groups(document) -> list[dict]:
    """The groups of a document that loaded; optional lists may be missing or null."""
    return [g for s in document.get("stages") or [] for g in s.get("groups") or []]


def _assert_loaded_completely(document) -> None:
    season = Season.objects.get(year=document["season"]["year"])
    groups = _groups(document)
    assert Group.objects.filter(season=season).count() == len(groups)
    places = sum(len(g["places"]) for g in groups)
    assert Place.objects.filter(group__season=season).count() == places
    assert Region.objects.filter(season=season).count() == len(document.get("regions") or [])
    assert Team.objects.count() == len(document["teams"])


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_damaged_2003_file_loads_completely_or_fails_clearly(db, tmp_path, data):
    document = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        data.draw(mutation(document))
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with transaction.atomic():
        before = snapshot()
        try:
            call_command("load_season", str(path), stdout=StringIO())
        except CommandError as refused:
            message = str(refused)
            assert "problem" in message and "\n  - " in message
            assert snapshot() == before
            event("refused")
        else:
            _assert_loaded_completely(document)
            event("loaded")
        transaction.set_rollback(True)
