"""Pick the few services that best meet a need in a country.

Runs without Rasa: actions/hotlines.py turns a Selection into the reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.hotlines import need as needs
from bot.hotlines.registry import Emergency, Registry, Service

SHOWN = 4  # a short list reads better in a chat bubble; "show more" gives the rest
ABROAD_SHOWN = 2


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


def select(
    registry: Registry,
    country: str | None,
    need: str,
    audience: str | None = None,
    named: Service | None = None,
    abroad_country: str | None = None,
    show_all: bool = False,
) -> Selection:
    local = registry.for_country(country)
    international = not local
    pool = list(local or registry.international())
    lead = needs.NEEDS.get(need, needs.NEEDS[needs.DEFAULT_NEED])[0]
    if local and not any(lead in s.kinds for s in local):
        # What the need calls for first isn't in this country's list: add the services
        # that work from anywhere (Take It Down, the INHOPE and ICMEC directories).
        pool += [s for s in registry.international() if lead in s.kinds]
    ranked = needs.rank(pool, need, audience)
    if named:
        ranked = [named, *[s for s in ranked if s.id != named.id]]
    limit = len(ranked) if show_all else SHOWN
    abroad: tuple[Service, ...] = ()
    if abroad_country and abroad_country != country:
        # The offender is abroad: report at home and in the offender's country too.
        abroad = tuple(needs.rank(registry.for_country(abroad_country), "report")[:ABROAD_SHOWN])
    return Selection(
        country=country,
        need=need,
        services=tuple(ranked[:limit]),
        more=len(ranked) > limit,
        international=international,
        emergency=registry.emergency_for(country),
        abroad_country=abroad_country if abroad else None,
        abroad=abroad,
    )
