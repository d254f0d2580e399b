"""Reading a season file from disk and handing the checked season to the import service."""

import json
from os import PathLike
from pathlib import Path

from tournaments.models import Season
from tournaments.services.seasons import SeasonImportError, season_import

from .reader import SeasonFileError, json_object
from .validate import validate_season


def read_season_file(path: str | PathLike) -> object:
    """Parse a season file (UTF-8 JSON). A missing, unreadable, non-UTF-8 or broken file
    raises SeasonFileError saying where: broken JSON gives its line and column."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SeasonFileError(["(file): no such file"], source=str(path)) from None
    except OSError as exc:
        raise SeasonFileError(
            [f"(file): cannot be read ({exc.strerror})"], source=str(path)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = f"line {line} column {column}: the file is not UTF-8 text"
        raise SeasonFileError([problem], source=str(path)) from None
    try:
        return json.loads(text, object_pairs_hook=json_object)
    except json.JSONDecodeError as exc:
        problem = f"line {exc.lineno} column {exc.colno}: broken JSON: {exc.msg}"
        raise SeasonFileError([problem], source=str(path)) from None
    except (ValueError, RecursionError) as exc:
        problem = f"(file): broken JSON: {exc}"
        raise SeasonFileError([problem], source=str(path)) from None


def load_season_data(document: object, *, replace: bool = False, source: str = "") -> Season:
    """Check a parsed season document and import it, all or nothing.

    Raises SeasonFileError listing every problem with its place in the file, whether found by
    the checks or refused by the import (a season of that year without `replace`, a team the
    database knows with another department or town); the database is then unchanged.
    """
    try:
        season = validate_season(document)
        return season_import(data=season, replace=replace)
    except SeasonFileError as exc:
        raise SeasonFileError(exc.problems, source=source) from None
    except SeasonImportError as exc:
        raise SeasonFileError(exc.problems, source=source) from exc


def load_season_file(path: str | PathLike, *, replace: bool = False) -> Season:
    """Read, check and import a season file; see `load_season_data`."""
    return load_season_data(read_season_file(path), replace=replace, source=str(path))
