"""Reading JSON values with a place for every problem.

Validation never stops at the first problem: each reader records what is wrong with its
value under a JSON-pointer-like path (`stages[3].groups[0].places[1]`) and carries on, so a
file's author sees every mistake at once.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

FORMAT = "copaperu-season/1"
MAX_SMALL = 32767  # the largest value a PositiveSmallIntegerField holds everywhere
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAGE_GROUP = re.compile(r"stages\[(\d+)\](?:\.groups\[(\d+)\])?")
MIN_YEAR, MAX_YEAR = 1900, 2200


class SeasonFileError(Exception):
    """A season file that cannot be loaded; `problems` lists each as "<place>: <message>"."""

    def __init__(self, problems: list[str], *, source: str = ""):
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: " if self.source else ""
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        return f"{head}{count} {noun} in the season file:\n{lines}"


class JSONObject(dict):
    """A parsed JSON object that remembers keys written more than once (json keeps the last)."""

    duplicate_keys: tuple[str, ...] = ()


def json_object(pairs: list[tuple[str, object]]) -> JSONObject:
    """`object_pairs_hook` for json.loads: a dict that records its duplicated keys."""
    obj = JSONObject(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.duplicate_keys = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return obj


class Problems:
    """The problems found so far, each with its place in the file."""

    def __init__(self, sections: tuple[str, ...] = ()) -> None:
        self.sections = sections
        self.found: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.found.append((path or "(file)", message))

    def raise_if_any(self) -> None:
        """Raise SeasonFileError with every problem, in the order of the file."""
        if self.found:
            ordered = sorted(self.found, key=lambda problem: self._file_order(problem[0]))
            raise SeasonFileError([f"{path}: {message}" for path, message in ordered])

    def _file_order(self, path: str) -> tuple[int, ...]:
        # Groups are checked in two passes; this puts each group's problems back together.
        # The sort is stable, so problems of one group keep the order they were found in.
        section = path.split(".", 1)[0].split("[", 1)[0]
        rank = self.sections.index(section) if section in self.sections else -1
        group = _STAGE_GROUP.match(path)
        return (rank, *(int(i) for i in group.groups(-1))) if group else (rank,)


def at(path: str, key: str | int) -> str:
    """The path of a key or list index inside `path`: at("season", "year") → "season.year"."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(value: object) -> str:
    """A JSON value as its author would name it, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 64:
        return "a very large number"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    return "a list" if isinstance(value, list) else "an object"


def quoted(value: str) -> str:
    """Text as it appears in the file, shortened, and printable whatever it holds."""
    short = value if len(value) <= 80 else value[:79] + "…"
    return '"' + short.encode("utf-8", "backslashreplace").decode("utf-8") + '"'


def shown(value: object) -> str:
    """A value as written in the file when it is text, else described."""
    return quoted(value) if isinstance(value, str) else describe(value)


class Fields:
    """The fields of one JSON object at `path`; every getter records a problem for a bad value.

    Getters return the value, the default when the field is missing or null, or None when the
    value is wrong (its problem already recorded). Required fields record "is required".
    """

    def __init__(self, value, path: str, problems: Problems, *, allowed, what="an object"):
        self.path = path
        self.problems = problems
        self.ok = isinstance(value, dict)
        self.data = value if self.ok else {}
        if not self.ok:
            problems.add(path, f"must be {what}, got {describe(value)}")
            return
        for key in value:
            if key not in allowed:
                problems.add(path, f"unknown field {quoted(key)} (expected: {', '.join(allowed)})")
        for key in getattr(value, "duplicate_keys", ()):
            problems.add(path, f"field {quoted(key)} is written more than once")

    def error(self, key: str, message: str) -> None:
        self.problems.add(at(self.path, key), message)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, *, required: bool = False):
        """The value as parsed; None when missing or null (a problem if it is required)."""
        value = self.data.get(key)
        if value is None and required:
            self.error(key, "is required" if key not in self.data else "is required, not null")
        return value

    def child(self, key: str, *, allowed, required: bool = False) -> "Fields":
        """The object under `key`; when it is missing its fields read as their defaults."""
        value = self.raw(key, required=required and self.ok)
        child = Fields(
            {} if value is None else value, at(self.path, key), self.problems, allowed=allowed
        )
        child.ok = child.ok and value is not None
        return child

    def text(self, key, *, required=False, default="", max_length=120, name=False):
        """A string; `name` ones must not be blank nor start or end with spaces."""
        value = self.raw(key, required=required)
        if value is None:
            return None if required else default
        if not isinstance(value, str):
            return self.error(key, f"must be text, got {describe(value)}")
        if text_problem(value):
            return self.error(key, text_problem(value))
        if name and (not value.strip() or value != value.strip()):
            return self.error(key, "must not be blank nor start or end with spaces")
        if len(value) > max_length:
            return self.error(key, f"is too long ({len(value)} characters, at most {max_length})")
        return value

    def integer(self, key, *, required=False, default=None, minimum=0, maximum=MAX_SMALL):
        """A whole number in [minimum, maximum]; true/false and 2.0 are not whole numbers."""
        value = self.raw(key, required=required)
        if value is None:
            return None if required else default
        return check_integer(value, at(self.path, key), self.problems, minimum, maximum)

    def boolean(self, key, *, default: bool):
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            return self.error(key, f"must be true or false, got {describe(value)}")
        return value

    def choice(self, key, choices, *, required=False, default=None, noun="value"):
        value = self.raw(key, required=required)
        if value is None:
            return None if required else default
        if not isinstance(value, str) or value not in choices:
            expected = ", ".join(choices)
            return self.error(key, f"unknown {noun} {shown(value)} (expected one of: {expected})")
        return value

    def date(self, key) -> date | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return _in_range(date.fromisoformat(value))
            except ValueError:
                pass
        return self.error(key, f'must be a date like "2003-11-01" or null, got {describe(value)}')

    def datetime(self, key) -> datetime | None:
        """An ISO 8601 date and time; without a UTC offset it is read in the site's time zone."""
        value = self.raw(key)
        if value is None:
            return None
        try:
            moment = _in_range(datetime.fromisoformat(value)) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or not _DATE.match(value):
            example = '"2003-10-05T15:30:00-05:00"'
            return self.error(key, f"must be a date and time like {example}, got {describe(value)}")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        return moment

    def list(self, key, *, required=False) -> list | None:
        value = self.raw(key, required=required)
        if value is None:
            return None if required else []
        if not isinstance(value, list):
            return self.error(key, f"must be a list, got {describe(value)}")
        return value


def _in_range(moment):
    """Dates far from any season are typos (and would overflow time zone arithmetic)."""
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(moment)
    return moment


def text_problem(value: str) -> str | None:
    """What makes a string unstorable: a NUL character or a lone surrogate (\\ud800)."""
    if "\x00" in value:
        return "must not contain the NUL character (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate such as \\ud800)"
    return None


def check_integer(value, path: str, problems: Problems, minimum: int, maximum: int):
    """`value` if it is a whole number in range, else None with the problem recorded."""
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, f"must be a whole number, got {describe(value)}")
    elif value < minimum:
        problems.add(
            path,
            f"must not be negative, got {value}"
            if minimum == 0
            else f"must be {minimum} or more, got {value}",
        )
    elif value > maximum:
        problems.add(path, f"must be {maximum} or less, got {value}")
    else:
        return value
    return None


def check_name(value, path: str, problems: Problems, *, max_length: int = 120) -> str | None:
    """A name inside a list: text, not blank, no outer spaces, not too long."""
    if not isinstance(value, str):
        problems.add(path, f"must be a name (text), got {describe(value)}")
    elif text_problem(value):
        problems.add(path, text_problem(value))
    elif not value.strip() or value != value.strip():
        problems.add(path, "must not be blank nor start or end with spaces")
    elif len(value) > max_length:
        problems.add(path, f"is too long ({len(value)} characters, at most {max_length})")
    else:
        return value
    return None
