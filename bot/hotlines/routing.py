"""Pick the few services that best meet a need in a country, for this person, now.

Runs without Rasa: actions/hotlines.py turns a Selection into the reply. Three things
decide beyond the need (docs/hotlines.md, "Routing"):

- whose case it is (`Person`): a service whose `ages` exclude that person is never
  offered; a minor's case always shows the country's child helpline; adult-only
  services appear only for an adult writing about themselves;
- what is open now, by the clock the caller passes (`now`): for crises and urgent needs
  the services known to be closed go last, and open ones lead among services of the
  same kind;
- how the person can reach them: someone who cannot call gets chat, SMS and online
  forms first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot import audience as audiences
from bot.hotlines import hours
from bot.hotlines import need as needs
from bot.hotlines.registry import ADULT, Emergency, Registry, Service

SHOWN = 4  # a short list reads better in a chat bubble; "show more" gives the rest
ABROAD_SHOWN = 2
# Needs where minutes matter: what is open now leads.
URGENT = frozenset({"crisis", "self-harm", "abuse"})
TEXT_METHODS = ("chat", "sms", "url")


@dataclass(frozen=True)
class Person:
    """Whose case it is: the writer (`self`) or a child they speak for (`child`)."""

    audience: str | None = None
    whose: str = "self"
    age: int | None = None
    adult: bool = False  # the writer says they are an adult, without an age

    @property
    def minor(self) -> bool | None:
        """True or False when known; None when nothing says."""
        if self.age is not None:
            return self.age < ADULT
        if self.whose == "child" or self.audience == "teen":
            return True
        return False if self.adult else None

    @property
    def adult_self(self) -> bool:
        return self.whose == "self" and self.minor is False

    def fits(self, service: Service) -> bool:
        if self.age is not None:
            return service.fits_age(self.age)
        if service.adults_only:
            return self.adult_self
        return not (self.minor is False and service.max_age is not None and service.max_age < ADULT)


def person(text: str | None, audience: str | None) -> Person:
    """Work out whose case a message is about, from its words and the audience."""
    ages = audiences.mentioned_ages(text)
    speaks_for_child = audience in ("parent", "educator")
    if "child" in ages and (speaks_for_child or "self" not in ages or ages["self"] >= ADULT):
        return Person(audience or "parent", "child", ages["child"])
    if "self" in ages:
        return Person(audience, "self", ages["self"])
    if speaks_for_child:
        return Person(audience, "child")
    return Person(audience, "self", adult=audiences.says_adult(text))


@dataclass(frozen=True)
class Status:
    """Whether a service is open at `now`: overall and per contact method."""

    open_now: bool | None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    by_method: Mapping[str, bool | None] = field(default_factory=dict)
    always: bool = False


def status(service: Service, now: dt.datetime) -> Status:
    opening = service.opening
    methods = service.contact_methods()
    if opening is None:
        return Status(None, by_method={m: None for m in methods})
    by_method = {m: opening.open_now(m, now) for m in methods}
    values = set(by_method.values())
    open_now = True if True in values else (False if values == {False} else None)
    opens = [t for m in methods if by_method[m] is False and (t := opening.opens_at(m, now))]
    closes = [t for m in methods if by_method[m] and (t := opening.closes_at(m, now))]
    always = all(opening.always(m) for m in methods if by_method[m])
    return Status(
        open_now=open_now,
        opens_at=min(opens) if open_now is False and opens else None,
        closes_at=max(closes) if open_now and closes and not always else None,
        by_method=by_method,
        always=bool(open_now) and always,
    )


@dataclass(frozen=True)
class Selection:
    country: str | None
    need: str
    services: tuple[Service, ...]
    more: bool  # the country has further services for this need
    international: bool  # no list for this country: directories that cover everywhere
    emergency: Emergency | None
    abroad_country: str | None = None
    abroad: tuple[Service, ...] = field(default=())
    person: Person = field(default_factory=Person)
    now: dt.datetime | None = None
    statuses: Mapping[str, Status] = field(default_factory=dict)  # by service id
    cannot_call: bool = False


def _child_helpline(registry: Registry, local: list[Service], person: Person) -> Service | None:
    for pool in (local, list(registry.international())):
        fitting = [s for s in pool if "child-helpline" in s.kinds and person.fits(s)]
        if fitting:
            return needs.rank(fitting, "distress", person.audience)[0]
    return None


def _kind_index(service: Service, need: str) -> int:
    kinds = needs.NEEDS.get(need, needs.NEEDS[needs.DEFAULT_NEED])
    return min((kinds.index(k) for k in service.kinds if k in kinds), default=len(kinds))


def select(
    registry: Registry,
    country: str | None,
    need: str,
    audience: str | None = None,
    named: Service | None = None,
    abroad_country: str | None = None,
    show_all: bool = False,
    who: Person | None = None,
    now: dt.datetime | None = None,
    urgent: bool | None = None,
    cannot_call: bool = False,
) -> Selection:
    who = who or Person(audience, "child" if audience in ("parent", "educator") else "self")
    now = now or hours.clock()
    urgent = need in URGENT if urgent is None else urgent
    local = [s for s in registry.for_country(country) if who.fits(s)]
    international = not registry.for_country(country)
    pool = list(local or [s for s in registry.international() if who.fits(s)])
    lead = needs.NEEDS.get(need, needs.NEEDS[needs.DEFAULT_NEED])[0]
    if local and not any(lead in s.kinds for s in local):
        # What the need calls for first isn't in this country's list: add the services
        # that work from anywhere (Take It Down, the INHOPE and ICMEC directories).
        pool += [s for s in registry.international() if lead in s.kinds and who.fits(s)]
    ranked = needs.rank(pool, need, audience or who.audience, minor=who.minor)
    if named and who.fits(named):
        ranked = [named, *[s for s in ranked if s.id != named.id]]
    if cannot_call:
        ranked.sort(key=lambda s: not any(getattr(s, m) for m in TEXT_METHODS))
    limit = len(ranked) if show_all else SHOWN
    shown = ranked[:limit]
    if who.minor and not any("child-helpline" in s.kinds for s in shown):
        helpline = _child_helpline(registry, local, who)
        if helpline:
            shown = [*shown[: limit - 1], helpline] if len(shown) >= limit else [*shown, helpline]
    statuses = {s.id: status(s, now) for s in shown}
    if urgent:
        order = {s.id: i for i, s in enumerate(shown)}

        def key(service: Service) -> tuple[int, ...]:
            state = statuses[service.id].open_now
            text_first = int(cannot_call and not any(getattr(service, m) for m in TEXT_METHODS))
            return (text_first, int(state is False), _kind_index(service, need), int(state is not True),
                    order[service.id])

        shown.sort(key=key)
    abroad: tuple[Service, ...] = ()
    if abroad_country and abroad_country != country:
        # The offender is abroad: report at home and in the offender's country too.
        abroad = tuple(needs.rank(registry.for_country(abroad_country), "report")[:ABROAD_SHOWN])
        statuses.update({s.id: status(s, now) for s in abroad})
    return Selection(
        country=country,
        need=need,
        services=tuple(shown),
        more=len(ranked) > len(shown),
        international=international,
        emergency=registry.emergency_for(country),
        abroad_country=abroad_country if abroad else None,
        abroad=abroad,
        person=who,
        now=now,
        statuses=statuses,
        cannot_call=cannot_call,
    )
