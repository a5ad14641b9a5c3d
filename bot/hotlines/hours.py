"""Opening hours: a service's `hours` text as structured weekly times, and who is open now.

`hours` stays as the source states it (docs/hotlines.md); `parse` reads the forms the
registry uses into weekly intervals per contact method, in the country's time zone:

    24/7                                        every method, always
    every day 09:00-23:00 / daily / weekdays / weekends / Mon-Fri / Mon-Tue 14:00-17:00
    phone Mon-Fri 08:00-22:00, weekends 09:00-18:00; email and online form 24/7
    chat daily 09:00-13:00 and 15:00-19:00

A clause it cannot read is kept in `unread` and its method's hours stay unknown: never
guessed. The clock is whatever the caller passes (`now`, an aware datetime), so tests
pin the time; `clock()` is the real one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL = "all"  # hours that hold for every contact method the entry has
METHODS = ("phone", "sms", "chat", "url")
_WEEK = 7 * 24 * 60

_DAY_WORDS = {
    "every day": range(7), "daily": range(7), "all week": range(7),
    "weekdays": range(5), "weekends": range(5, 7), "weekend": range(5, 7),
}
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)\w*"
_TIME = r"(\d{1,2})[:.](\d{2})"
_RANGE = re.compile(rf"{_TIME}\s*[-\u2013]\s*{_TIME}")
_ALWAYS = re.compile(
    r"^(?:24/7|24 hours(?: a day)?(?:, 7 days a week)?|"
    r"24h por dia, incluindo s[áa]bados, domingos e feriados)$"
)
# Method words at the start of a clause, and the contact methods they stand for.
_METHOD_WORDS = [
    (re.compile(r"^(?:email and )?online form(?:s)?\b|^web form\b"), ("url",)),
    (re.compile(r"^(?:phone|calls?|telephone)\b"), ("phone",)),
    (re.compile(r"^(?:chat|web chat|online chat)\b"), ("chat",)),
    (re.compile(r"^(?:sms|text|texts)\b"), ("sms",)),
    (re.compile(r"^email\b"), ()),  # not a contact method the registry keeps
]


@dataclass(frozen=True)
class Hours:
    """Weekly opening minutes per contact method (`all` for every method)."""

    zone: str | None
    # method -> ((start, end), ...) in minutes from Monday 00:00, end exclusive
    weekly: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    unread: tuple[str, ...] = ()

    def for_method(self, method: str) -> tuple[tuple[int, int], ...] | None:
        if method in self.weekly:
            return self.weekly[method]
        return self.weekly.get(ALL)

    def always(self, method: str = ALL) -> bool:
        spans = self.for_method(method) if method != ALL else self.weekly.get(ALL)
        return spans == ((0, _WEEK),)

    def open_now(self, method: str, now: dt.datetime) -> bool | None:
        """True or False; None when this method's hours are unknown."""
        spans = self.for_method(method)
        if spans is None:
            return None
        if spans == ((0, _WEEK),):
            return True
        if self.zone is None:
            return None
        minute = _week_minute(now.astimezone(ZoneInfo(self.zone)))
        return any(start <= minute < end for start, end in spans)

    def opens_at(self, method: str, now: dt.datetime) -> dt.datetime | None:
        """When this method next opens, in the service's time zone; None if open or unknown."""
        spans = self.for_method(method)
        if not spans or self.zone is None or self.open_now(method, now) is not False:
            return None
        local = now.astimezone(ZoneInfo(self.zone))
        minute = _week_minute(local)
        ahead = min((start - minute) % _WEEK for start, _ in spans)
        start = (local + dt.timedelta(minutes=ahead)).replace(second=0, microsecond=0)
        return start

    def closes_at(self, method: str, now: dt.datetime) -> dt.datetime | None:
        """When an open method next closes; None if always open, closed or unknown."""
        spans = self.for_method(method)
        if not spans or self.zone is None or spans == ((0, _WEEK),) or not self.open_now(method, now):
            return None
        local = now.astimezone(ZoneInfo(self.zone))
        minute = _week_minute(local)
        ahead = min((end - minute) % _WEEK for start, end in spans if start <= minute < end)
        return (local + dt.timedelta(minutes=ahead)).replace(second=0, microsecond=0)


def clock() -> dt.datetime:
    """The real time. Callers take `now` as a parameter so tests can pin it."""
    return dt.datetime.now(dt.timezone.utc)


def _week_minute(local: dt.datetime) -> int:
    return local.weekday() * 24 * 60 + local.hour * 60 + local.minute


# The time zone of countries with one (from the IANA zone table); DE, MY and NZ have a second
# zone (Busingen; Kuching, at the same offset; Chatham) and use their main one.
# Countries with several (US, CA, AU, BR, ID, ES, MX, ...) need `timezone` on the entry.
_ZONES = {
    "AT": "Europe/Vienna", "BA": "Europe/Sarajevo", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "CO": "America/Bogota", "CZ": "Europe/Prague", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki", "FR": "Europe/Paris", "GB": "Europe/London", "GR": "Europe/Athens",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IN": "Asia/Kolkata",
    "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "JP": "Asia/Tokyo", "KE": "Africa/Nairobi",
    "KH": "Asia/Phnom_Penh", "KR": "Asia/Seoul", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga", "MD": "Europe/Chisinau", "MT": "Europe/Malta", "NG": "Africa/Lagos",
    "NL": "Europe/Amsterdam", "PH": "Asia/Manila", "PL": "Europe/Warsaw", "RO": "Europe/Bucharest",
    "SE": "Europe/Stockholm", "SG": "Asia/Singapore", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava",
    "TH": "Asia/Bangkok", "TR": "Europe/Istanbul", "TW": "Asia/Taipei", "ZA": "Africa/Johannesburg",
    "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "QA": "Asia/Qatar", "KW": "Asia/Kuwait", "HK": "Asia/Hong_Kong",
    "DE": "Europe/Berlin", "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland",
}


@cache
def country_zone(country: str) -> str | None:
    """The country's time zone when it has one (PH: Asia/Manila); else None."""
    return _ZONES.get(country.upper())


def _days(text: str) -> list[int] | None:
    text = text.strip()
    if not text:
        return None
    if text in _DAY_WORDS:
        return list(_DAY_WORDS[text])
    found = re.fullmatch(rf"({_DAY})(?:\s*[-\u2013]\s*({_DAY}))?", text)
    if not found:
        return None
    first = DAYS.index(found.group(1)[:3])
    last = DAYS.index(found.group(2)[:3]) if found.group(2) else first
    return [d % 7 for d in range(first, first + (last - first) % 7 + 1)]


def _group(text: str) -> list[tuple[int, int]] | None:
    """'Mon-Fri 08:00-22:00' or 'daily 09:00-13:00 and 15:00-19:00' as weekly spans."""
    ranges = list(_RANGE.finditer(text))
    if not ranges:
        return None
    days = _days(text[: ranges[0].start()])
    rest = _RANGE.sub("", text[ranges[0].start():])
    if days is None or rest.replace("and", "").strip(" ,"):
        return None
    spans = []
    for found in ranges:
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not (0 <= start < 1440 and 0 < end <= 1440 and m1 < 60 and m2 < 60):
            return None
        if end <= start:
            end += 1440  # past midnight
        spans += [(d * 1440 + start, d * 1440 + end) for d in days]
    return spans


def _schedule(text: str) -> tuple[tuple[int, int], ...] | None:
    text = re.sub(r",?\s*all year$", "", text.strip())
    if _ALWAYS.match(text):
        return ((0, _WEEK),)
    spans: list[tuple[int, int]] = []
    for part in re.split(r",\s*(?=[a-z])", text):
        group = _group(part)
        if group is None:
            return None
        spans += group
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, overlaps joined, and a span past Sunday midnight wrapped to Monday."""
    flat: list[tuple[int, int]] = []
    for start, end in spans:
        if end > _WEEK:
            flat += [(start, _WEEK), (0, end - _WEEK)]
        else:
            flat.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(flat):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def parse(text: str | None, zone: str | None) -> Hours | None:
    """The structured hours, or None when the source gives none (unknown)."""
    if not text or not str(text).strip():
        return None
    weekly: dict[str, tuple[tuple[int, int], ...]] = {}
    unread = []
    for clause in str(text).casefold().split(";"):
        clause = clause.strip()
        methods: tuple[str, ...] = (ALL,)
        for pattern, named in _METHOD_WORDS:
            found = pattern.match(clause)
            if found:
                methods, clause = named, clause[found.end():].strip()
                break
        spans = _schedule(clause)
        if spans is None:
            unread.append(clause)
            continue
        for method in methods:
            weekly[method] = spans
    return Hours(zone=zone, weekly=weekly, unread=tuple(unread))


def _clock_time(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"


def describe(hours: Hours, day_names: tuple[str, ...], method_names: Mapping[str, str]) -> str:
    """The weekly hours in words of the reply's language: 'Mon–Fri 8:00–22:00, Sat–Sun
    9:00–18:00; online 24/7'. Day and method names come from the caller (reviewed texts)."""
    parts = []
    for method, spans in hours.weekly.items():
        prefix = "" if method == ALL else f"{method_names.get(method, method)} "
        if spans == ((0, _WEEK),):
            parts.append(f"{prefix}24/7")
            continue
        days: list[tuple[tuple[int, int], ...]] = []
        for day in range(7):
            low, high = day * 1440, (day + 1) * 1440
            days.append(tuple((max(s, low) - low, min(e, high) - low)
                              for s, e in spans if s < high and e > low))
        groups: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
        for day, times in enumerate(days):
            if groups and groups[-1][2] == times and groups[-1][1] == day - 1:
                groups[-1] = (groups[-1][0], day, times)
            else:
                groups.append((day, day, times))
        words = []
        for first, last, times in groups:
            if not times:
                continue
            span = day_names[first] if first == last else f"{day_names[first]}\u2013{day_names[last]}"
            ranges = ", ".join(f"{_clock_time(s)}\u2013{_clock_time(e)}" for s, e in times)
            words.append(f"{span} {ranges}")
        parts.append(prefix + ", ".join(words))
    return "; ".join(parts)
