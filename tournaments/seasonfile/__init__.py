"""Season files: a whole season as one JSON document (docs/season-format.md).

Reading checks the file and reports every problem with its place in the file before anything
is written, then hands the season to `services.season_import`; writing (`season_to_data`)
produces the same format from the database with a constant number of queries.
"""

from .export import season_to_data
from .load import load_season_data, load_season_file, read_season_file
from .reader import FORMAT, SeasonFileError
from .validate import validate_season

__all__ = [
    "FORMAT",
    "SeasonFileError",
    "load_season_data",
    "load_season_file",
    "read_season_file",
    "season_to_data",
    "validate_season",
]
