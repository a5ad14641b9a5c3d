"""The hotline registry: services by country, the emergency table, their checks.

Format and rules: docs/hotlines.md. Loading collects every problem at once, and
separately lists entries past their `recheck_by` date as warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import pycountry
import yaml

from bot import language
from bot.hotlines import hours

KINDS = (
    "emergency",
    "child-helpline",
    "csam-report",
    "police-cyber",
    "sextortion-takedown",
    "mental-health",
    "family-support",
)
AUDIENCES = ("parent", "teen", "educator")
INTERNATIONAL = "international"
CONTACTS = ("phone", "sms", "url", "chat")
MAX_RECHECK = dt.timedelta(days=400)

_SHORT_CODE = re.compile(r"^\d{2,6}$")
_DIALLED = re.compile(r"^\+?\d{2,15}$")
_ID = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+$|^intl(-[a-z0-9]+)+$")
_COUNTRY_FILE = re.compile(r"^[a-z]{2}\.yml$")
_SERVICE_KEYS = {
    "id", "name", "kinds", "phone", "other_phones", "sms", "url", "chat", "hours", "languages",
    "audiences", "cost", "what_happens", "source_url", "verified_on", "recheck_by",
    "ages", "timezone", "what_happens_fil",
}
LANGUAGES = ("en", "fil")
ADULT = 18
# Registry sections every Filipino reply may show (docs/hotlines.md, "Filipino"): their
# entries need their own Filipino what_happens; other countries' entries show the
# reviewed Filipino description of their kind (data/hotlines/fil.yml).
TRANSLATED = ("PH", "international")


class RegistryError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# Words too generic to identify one service on their own.
_GENERIC_NAMES = {"helpline", "hotline", "child helpline", "police", "emergency", "national", "report",
                  "online", "chat", "help", "crisis line", "the police", "children", "women", "kids",
                  "women children", "child", "parents"}


@dataclass(frozen=True)
class Service:
    id: str
    country: str  # ISO alpha-2, or "international"
    name: str
    kinds: tuple[str, ...]
    what_happens: str
    source_url: str
    verified_on: dt.date
    recheck_by: dt.date
    phone: str | None = None
    other_phones: tuple[str, ...] = ()
    sms: str | None = None
    url: str | None = None
    chat: str | None = None
    hours: str | None = None
    languages: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    cost: str | None = None
    min_age: int | None = None  # `ages`, only where the source says so
    max_age: int | None = None
    timezone: str | None = None  # the service's zone; the country's when it has one
    what_happens_fil: str | None = None

    @cached_property
    def opening(self) -> hours.Hours | None:
        """The structured hours (bot/hotlines/hours.py); None when the source gives none."""
        return hours.parse(self.hours, self.timezone)

    def contact_methods(self) -> tuple[str, ...]:
        return tuple(m for m in hours.METHODS if getattr(self, m))

    def fits_age(self, age: int | None) -> bool:
        if age is None:
            return True
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)

    @property
    def adults_only(self) -> bool:
        return self.min_age is not None and self.min_age >= ADULT

    @property
    def for_minors(self) -> bool:
        return (self.max_age is not None and self.max_age < 26) or self.audiences == ("teen",)

    def aliases(self) -> set[str]:
        """Names the service goes by: its name, the parts of it in brackets or around
        commas, and its id without the country prefix ("bantay-bata" -> "bantay bata")."""
        name = self.name.casefold()
        parts = {name, *re.split(r"\s*[(),/]\s*|\s+-\s+", name)}
        parts.add(" ".join(self.id.split("-")[1:]))
        cleaned = {" ".join(re.findall(r"[\w']+", p)) for p in parts}
        return {p for p in cleaned if p and not p.isdigit() and p not in _GENERIC_NAMES}

    def as_dict(self) -> dict[str, Any]:
        """The service as a `hotlines` entry of the reply contract (in English; the
        actions add the language's texts and what is open now)."""
        out: dict[str, Any] = {"id": self.id, "name": self.name, "kinds": list(self.kinds)}
        for key in ("phone", "sms", "url", "chat", "hours", "cost"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.phone:
            out["phone_display"] = display_number(self.phone, self.country)
        if self.other_phones:
            out["other_phones"] = list(self.other_phones)
        if self.languages:
            out["languages"] = list(self.languages)
        if self.audiences:
            out["audiences"] = list(self.audiences)
        if self.min_age is not None or self.max_age is not None:
            out["ages"] = {k: v for k, v in (("min", self.min_age), ("max", self.max_age)) if v is not None}
        out["what_happens"] = self.what_happens
        out["source_url"] = self.source_url
        out["verified_on"] = self.verified_on.isoformat()
        return out


@dataclass(frozen=True)
class Emergency:
    country: str
    numbers: tuple[str, ...]
    source_url: str
    verified_on: dt.date
    note: str | None = None


@dataclass(frozen=True)
class Registry:
    services: Mapping[str, tuple[Service, ...]]  # by country code
    emergency: Mapping[str, Emergency]
    warnings: tuple[str, ...] = field(default=())
    fil_countries: Mapping[str, str] = field(default_factory=dict)  # data/hotlines/fil.yml
    fil_kinds: Mapping[str, str] = field(default_factory=dict)

    def what_happens(self, service: Service, language: str) -> str:
        """What happens when you contact the service, in the reply's language: its own
        Filipino line, else the reviewed Filipino description of its first kind."""
        if language != "fil":
            return service.what_happens
        return service.what_happens_fil or self.fil_kinds.get(service.kinds[0], "")

    def for_country(self, country: str | None) -> tuple[Service, ...]:
        return self.services.get((country or "").upper(), ())

    def international(self) -> tuple[Service, ...]:
        return self.services.get(INTERNATIONAL, ())

    def emergency_for(self, country: str | None) -> Emergency | None:
        return self.emergency.get((country or "").upper())

    def common_emergency_numbers(self, count: int = 3) -> list[str]:
        """The emergency numbers most countries share, most common first."""
        tally: dict[str, int] = {}
        for emergency in self.emergency.values():
            for number in emergency.numbers:
                tally[number] = tally.get(number, 0) + 1
        return sorted(tally, key=lambda n: -tally[n])[:count]

    def all_services(self) -> Iterable[Service]:
        for services in self.services.values():
            yield from services

    @cached_property
    def names(self) -> tuple[tuple[re.Pattern, Service], ...]:
        """Every service's names of four letters or more as patterns, longest first,
        registry order among equals: made once, asked on every hotline request."""
        aliases = sorted(((alias, service) for service in self.all_services()
                          for alias in service.aliases() if len(alias) >= 4), key=lambda pair: -len(pair[0]))
        return tuple((re.compile(rf"\b{re.escape(alias)}\b"), service) for alias, service in aliases)


def display_number(number: str, country: str) -> str:
    """How a number is written so a phone can dial it: international form for full
    numbers, the digits themselves for short codes."""
    if number.startswith("+"):
        return phonenumbers.format_number(
            phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    return number


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


class _Checker:
    def __init__(self, today: dt.date):
        self.today = today
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def https(self, where: str, url: Any) -> str | None:
        if not isinstance(url, str) or urlparse(url).scheme != "https" or not urlparse(url).netloc:
            self.fail(where, f"must be an https URL: {url!r}")
            return None
        return url

    def date(self, where: str, value: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        self.fail(where, "must be a date (YYYY-MM-DD)")
        return dt.date.min

    def number(self, where: str, value: Any, country: str) -> str | None:
        if not isinstance(value, str):
            self.fail(where, f"must be a quoted string, got {value!r}")
            return None
        if value.startswith("+"):
            try:
                parsed = phonenumbers.parse(value)
            except phonenumbers.NumberParseException as exc:
                self.fail(where, f"{value} does not parse: {exc}")
                return None
            if phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != value:
                self.fail(where, f"{value} is not in E.164 form")
            if not phonenumbers.is_valid_number(parsed):
                self.fail(where, f"{value} is not a valid number")
            elif country != INTERNATIONAL and not phonenumbers.is_valid_number_for_region(parsed, country):
                self.fail(where, f"{value} is not a {country} number")
            return value
        if not _SHORT_CODE.match(value):
            self.fail(where, f"{value!r} is neither E.164 (+...) nor a short code (digits only)")
            return None
        return value

    def service(self, where: str, raw: Any, country: str) -> Service | None:
        if not isinstance(raw, dict):
            self.fail(where, "must be a mapping")
            return None
        sid = raw.get("id")
        where = f"{where} {sid}"
        for key in set(raw) - _SERVICE_KEYS:
            self.fail(where, f"unknown key '{key}'")
        prefix = "intl-" if country == INTERNATIONAL else f"{country.lower()}-"
        if not isinstance(sid, str) or not _ID.match(sid) or not sid.startswith(prefix):
            self.fail(where, f"id must look like {prefix}<name>")
        if not raw.get("name"):
            self.fail(where, "needs a name")
        kinds = tuple(raw.get("kinds") or ())
        if not kinds or set(kinds) - set(KINDS):
            self.fail(where, f"kinds must be some of {', '.join(KINDS)}")
        if not any(raw.get(key) for key in CONTACTS):
            self.fail(where, "needs one of phone, sms, url or chat")
        phone = self.number(f"{where} phone", raw["phone"], country) if raw.get("phone") else None
        others = tuple(
            number
            for other in raw.get("other_phones") or ()
            if (number := self.number(f"{where} other_phones", other, country))
        )
        sms = self.number(f"{where} sms", raw["sms"], country) if raw.get("sms") else None
        url = self.https(f"{where} url", raw["url"]) if raw.get("url") else None
        chat = self.https(f"{where} chat", raw["chat"]) if raw.get("chat") else None
        source = self.https(f"{where} source_url", raw.get("source_url"))
        audiences = tuple(raw.get("audiences") or ())
        if set(audiences) - set(AUDIENCES):
            self.fail(where, f"audiences must be some of {', '.join(AUDIENCES)}")
        if not str(raw.get("what_happens") or "").strip():
            self.fail(where, "needs a what_happens line")
        min_age, max_age = self.ages(where, raw.get("ages"))
        zone = raw.get("timezone") or (hours.country_zone(country) if country != INTERNATIONAL else None)
        if zone is not None and not self.zone(where, zone):
            zone = None
        opening = hours.parse(raw.get("hours"), zone)
        if opening and opening.unread:
            unread = "; ".join(opening.unread)
            self.warnings.append(f"{where}: hours not structured (open now unknown): {unread}")
        if opening and zone is None and any(not opening.always(m) for m in opening.weekly):
            self.warnings.append(f"{where}: hours without a time zone (open now unknown); add `timezone`")
        fil = " ".join(str(raw.get("what_happens_fil") or "").split()) or None
        if country in TRANSLATED and not fil:
            self.fail(where, "needs what_happens_fil: Filipino replies show this entry")
        if fil and not _reads_filipino(fil):
            self.fail(where, f"what_happens_fil does not read as Filipino: {fil[:60]!r}")
        verified = self.date(f"{where} verified_on", raw.get("verified_on"))
        recheck = self.date(f"{where} recheck_by", raw.get("recheck_by"))
        if verified > self.today:
            self.fail(where, "verified_on is in the future")
        if recheck - verified > MAX_RECHECK:
            self.fail(where, "recheck_by must be within about a year of verified_on")
        if recheck < self.today:
            self.warnings.append(f"{where}: past its recheck date {recheck}")
        return Service(
            id=str(sid),
            country=country,
            name=str(raw.get("name") or ""),
            kinds=kinds,
            what_happens=" ".join(str(raw.get("what_happens") or "").split()),
            source_url=source or "",
            verified_on=verified,
            recheck_by=recheck,
            phone=phone,
            other_phones=others,
            sms=sms,
            url=url,
            chat=chat,
            hours=raw.get("hours"),
            languages=tuple(raw.get("languages") or ()),
            audiences=audiences,
            cost=raw.get("cost"),
            min_age=min_age,
            max_age=max_age,
            timezone=zone,
            what_happens_fil=fil,
        )

    def ages(self, where: str, raw: Any) -> tuple[int | None, int | None]:
        if raw is None:
            return None, None
        if not isinstance(raw, dict) or not raw or set(raw) - {"min", "max"}:
            self.fail(where, "ages must be a mapping with min and/or max")
            return None, None
        low, high = raw.get("min"), raw.get("max")
        for value in (low, high):
            if value is not None and (not isinstance(value, int) or not 0 <= value <= 120):
                self.fail(where, f"ages must be whole years: {raw}")
                return None, None
        if low is not None and high is not None and low > high:
            self.fail(where, f"ages min is above max: {raw}")
        return low, high

    def zone(self, where: str, zone: Any) -> bool:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(where, f"timezone {zone!r} is not an IANA time zone")
            return False
        return True

    def filipino_texts(self, path: Path, raw: Any) -> tuple[dict[str, str], dict[str, str]]:
        """data/hotlines/fil.yml: country names and the description of every kind."""
        raw = raw if isinstance(raw, dict) else {}
        countries = {str(k).upper(): str(v) for k, v in (raw.get("countries") or {}).items()}
        kinds = {str(k): " ".join(str(v).split()) for k, v in (raw.get("kinds") or {}).items()}
        for code in countries:
            if not is_country(code):
                self.fail(f"{path.name} countries {code}", "is not an ISO 3166-1 alpha-2 code")
        for kind in KINDS:
            if not kinds.get(kind):
                self.fail(f"{path.name} kinds", f"needs a Filipino description of {kind}")
            elif not _reads_filipino(kinds[kind]):
                self.fail(f"{path.name} kinds {kind}", "does not read as Filipino")
        return countries, kinds

    def country_file(self, path: Path, raw: Any) -> tuple[str, list[Service]]:
        if not isinstance(raw, dict):
            self.fail(path.name, "must be a mapping with country and services")
            return "", []
        country = str(raw.get("country") or "")
        if path.name == "international.yml":
            if country != INTERNATIONAL:
                self.fail(path.name, "country must be 'international'")
        elif country != path.stem.upper() or not is_country(country):
            self.fail(path.name, f"country must be the ISO code {path.stem.upper()}")
        services = [self.service(path.name, s, country) for s in raw.get("services") or []]
        if not services:
            self.fail(path.name, "has no services")
        return country, [s for s in services if s]

    def emergency_table(self, path: Path, raw: Any) -> dict[str, Emergency]:
        table: dict[str, Emergency] = {}
        for row in raw if isinstance(raw, list) else []:
            country = str(row.get("country") or "")
            where = f"{path.name} {country}"
            if not is_country(country):
                self.fail(where, "is not an ISO 3166-1 alpha-2 code")
                continue
            if country in table:
                self.fail(where, "appears twice")
            numbers = tuple(str(n) for n in row.get("numbers") or ())
            if not numbers or not all(_DIALLED.match(n) for n in numbers):
                self.fail(where, f"numbers must be dialled digits: {numbers}")
            source = self.https(f"{where} source_url", row.get("source_url"))
            verified = self.date(f"{where} verified_on", row.get("verified_on"))
            table[country] = Emergency(country, numbers, source or "", verified, row.get("note"))
        if not table:
            self.fail(path.name, "must be a list of {country, numbers, source_url, verified_on}")
        return table

    def no_duplicates(self, services: list[Service]) -> None:
        seen_ids: set[str] = set()
        seen_contacts: dict[tuple[str, str], str] = {}
        for service in services:
            if service.id in seen_ids:
                self.fail(service.id, "duplicate id")
            seen_ids.add(service.id)
            for contact in (service.phone, service.url, service.chat):
                if contact:
                    key = (service.country, contact)
                    if key in seen_contacts and seen_contacts[key] != service.id:
                        self.fail(service.id, f"repeats {contact} of {seen_contacts[key]}")
                    seen_contacts.setdefault(key, service.id)


def _reads_filipino(text: str) -> bool:
    return language.share(text) is not None and language.single(text) == "fil"


def filipino_reply_problems(registry: Registry) -> list[str]:
    """Every entry a Filipino hotline reply can show, in every country: its description
    must be Filipino, never the English line (the check behind `python -m bot.hotlines check`)."""
    problems = []
    for service in registry.all_services():
        shown = registry.what_happens(service, "fil")
        if not shown or shown == service.what_happens or not _reads_filipino(shown):
            problems.append(f"{service.id}: a Filipino reply would show an English description")
    return problems


def _read(path: Path, checker: _Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        checker.fail(path.name, f"cannot be read: {exc}")
        return None


def check(directory: Path, today: dt.date | None = None) -> tuple[Registry, list[str]]:
    """Load the registry and return it with every problem found (warnings are on it)."""
    checker = _Checker(today or dt.date.today())
    by_country: dict[str, tuple[Service, ...]] = {}
    everything: list[Service] = []
    paths = sorted(p for p in directory.glob("*.yml") if _COUNTRY_FILE.match(p.name))
    for path in [*paths, directory / "international.yml"]:
        country, services = checker.country_file(path, _read(path, checker))
        if country:
            by_country[country] = tuple(services)
            everything += services
    checker.no_duplicates(everything)
    emergency = checker.emergency_table(
        directory / "emergency.yml", _read(directory / "emergency.yml", checker)
    )
    fil_path = directory / "fil.yml"
    fil_countries, fil_kinds = checker.filipino_texts(fil_path, _read(fil_path, checker))
    for code in by_country:
        if code != INTERNATIONAL and code not in fil_countries:
            checker.fail("fil.yml countries", f"needs the Filipino name of {code}")
    registry = Registry(by_country, emergency, tuple(checker.warnings), fil_countries, fil_kinds)
    for problem in filipino_reply_problems(registry):
        checker.fail("Filipino replies", problem)
    return registry, checker.problems


def load(directory: Path) -> Registry:
    registry, problems = check(directory)
    if problems:
        raise RegistryError(problems)
    return registry


@cache
def cached(directory: Path) -> Registry:
    return load(directory)
