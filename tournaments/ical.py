"""A team's fixtures of a season as an iCalendar feed (RFC 5545), written by hand.

One VEVENT per match with a kickoff, in UTC, its UID stable per match (match-<id>@copaperu) so
calendar apps update an event when a kickoff moves or a result comes in. DTSTAMP is when the
match last changed (RFC 5545: without METHOD it means LAST-MODIFIED), so the same data always
gives the same feed. Matches without a kickoff are left out and counted in
X-COPAPERU-UNSCHEDULED. Text is in Spanish, the site's first language.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext

from tournaments import selectors
from tournaments.api import api_view

PRODID = "-//copaperu//Copa Peru fixtures//ES"
MAX_OCTETS = 75
EVENT_DURATION = "PT2H"  # a match and its half-time, so calendars show a block


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma, and newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character.

    Each continuation line starts with one space, which counts among its 75 octets.
    """
    if len(line.encode()) <= MAX_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def utc(moment: datetime) -> str:
    """A date-time in UTC, RFC 5545's form 20030803T203000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def summary(line: selectors.MatchLine) -> str:
    """The event's title: home – away, with the score once there is one (2–0, 4–5 pen.)."""
    if not line.has_result:
        text = f"{line.home.name} – {line.away.name}"
        return f"{text} ({gettext('Postponed')})" if line.postponed else text
    text = f"{line.home.name} {line.home_goals}–{line.away_goals} {line.away.name}"
    if line.home_penalties is not None:
        text += f" ({line.home_penalties}–{line.away_penalties} {gettext('pens.')})"
    if line.awarded:
        text += f" {gettext('(awd.)')}"
    if line.provisional:
        text += f" ({gettext('provisional')})"
    return text


def description(line: selectors.MatchLine, is_tie: bool) -> str:
    """Group · stage · region · matchday (or third match, or playoff round)."""
    ref = line.group
    parts = [ref.name, str(ref.stage.label)]
    if ref.region:
        parts.append(ref.region.name)
    if not line.playoff:
        parts.append(gettext("Matchday %(day)s") % {"day": line.matchday})
    elif is_tie:
        parts.append(gettext("Third match"))
    else:
        parts.append(gettext("Playoff (round %(round)s)") % {"round": line.playoff_round})
    return " · ".join(parts)


def event(item: selectors.api.CalendarEvent, page_url: str) -> list[str]:
    """The content lines of one match's VEVENT."""
    line = item.match
    lines = [
        "BEGIN:VEVENT",
        f"UID:match-{line.id}@copaperu",
        f"DTSTAMP:{utc(item.updated_at)}",
        f"DTSTART:{utc(line.kickoff)}",
        f"DURATION:{EVENT_DURATION}",
        f"SUMMARY:{escape(summary(line))}",
    ]
    if line.venue or line.neutral:
        where = line.venue
        if line.neutral:
            where = f"{where} ({gettext('neutral ground')})".strip()
        lines.append(f"LOCATION:{escape(where)}")
    lines.append(f"DESCRIPTION:{escape(description(line, item.in_tie))}")
    if line.postponed:
        lines.append("STATUS:TENTATIVE")
    lines += [f"URL:{page_url}", "END:VEVENT"]
    return lines


def calendar_text(calendar: selectors.api.TeamCalendar, base_url: str) -> str:
    """The whole feed, CRLF line endings, lines folded. `base_url` makes event URLs absolute."""
    season = calendar.season
    name = f"{calendar.team.name} – {season.name}"
    if season.simulated:
        name += f" ({gettext('simulated')})"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        f"X-COPAPERU-SIMULATED:{'TRUE' if season.simulated else 'FALSE'}",
        f"X-COPAPERU-UNSCHEDULED:{calendar.unscheduled}",
    ]
    pages = {}  # a group's page, reversed once for all its matches
    for item in calendar.events:
        key = item.match.group.key
        if key not in pages:
            pages[key] = base_url + reverse("tournaments:group", args=[season.year, key])
        lines += event(item, pages[key])
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)


@api_view(None, cached=False)  # its event URLs name the host it was asked on
def team_fixtures(request, year, slug):
    """A team's fixtures of a season as an iCal feed (text/calendar): 4 queries."""
    calendar = selectors.team_calendar(slug, year)
    base_url = request.build_absolute_uri("/").rstrip("/")
    return HttpResponse(
        calendar_text(calendar, base_url), content_type="text/calendar; charset=utf-8"
    )
