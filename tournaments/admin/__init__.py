"""The officials' admin: every model registered, scoped to the official's regions.

- matches.py: results day (the editable list), confirmation, awards, history.
- groups.py: groups and ties with their places and matches inline, fixture actions.
- structure.py: departments, teams, seasons, regions, stages, assignments.
- scope.py and filters.py: what an official may see and the filters offering only that.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tournaments.admin import groups, matches, structure

admin.site.site_header = _("Copa Perú · officials")
admin.site.site_title = _("Copa Perú officials")
admin.site.index_title = _("Seasons, groups and results")
# The results-day list needs the width more than a second menu (the index has the menu).
admin.site.enable_nav_sidebar = False

__all__ = ["groups", "matches", "structure"]
