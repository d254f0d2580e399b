"""Every write to the database, as services named `<entity>_<action>` with keyword-only args.

Admin actions, forms, commands and views call these; none holds rules of its own. Each module
re-exports its public services here.
"""

from .seasons import SeasonImportError, ValidatedSeason, season_delete, season_import

__all__ = ["SeasonImportError", "ValidatedSeason", "season_delete", "season_import"]
