"""The reviewer document for the hotline registry (`make hotlines-report`).

One section per country: every service with its contacts, kinds, source and dates,
the notes the file's authors left (what was left out and why), and what is due.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.hotlines.places import country_name
from bot.hotlines.registry import INTERNATIONAL, Registry, Service, display_number
from bot.settings import Settings


def _contacts(service: Service) -> str:
    parts = []
    if service.phone:
        parts.append(f"call {display_number(service.phone, service.country)}")
    parts += [f"or {display_number(p, service.country)}" for p in service.other_phones]
    if service.sms:
        parts.append(f"text {display_number(service.sms, service.country)}")
    if service.url:
        parts.append(f"<{service.url}>")
    if service.chat:
        parts.append(f"chat <{service.chat}>")
    return "; ".join(parts)


def _notes(path: Path) -> list[str]:
    """The file's comments: the authors' notes on sources and on what was left out."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line[1:].strip() for line in lines if line.startswith("#")]


def _hours(service: Service) -> str:
    opening = service.opening
    if opening is None:
        return "unknown (the source gives none)"
    parts = []
    if opening.weekly:
        zone = service.timezone or "no time zone: open now unknown unless 24/7"
        parts.append(f"structured for {', '.join(sorted(opening.weekly))} ({zone})")
    if opening.unread:
        parts.append(f"not read: {'; '.join(opening.unread)}")
    return f"{service.hours!r}: " + "; ".join(parts)


def _attention(registry: Registry, today: dt.date) -> list[str]:
    """What a reviewer must look at first: entries due for recheck, or with unknown hours."""
    due = [s for s in registry.all_services() if s.recheck_by < today]
    unknown = [s for s in registry.all_services()
               if s.opening is None or s.opening.unread or not s.opening.weekly]
    lines = ["## Needs attention first", "", f"### Due for recheck ({len(due)})", ""]
    lines += [f"- `{s.id}` ({s.country}): recheck by {s.recheck_by}, source <{s.source_url}>" for s in due]
    lines += [*(["- none"] if not due else []), "",
              f"### Hours unknown or not structured ({len(unknown)})", "",
              "`open_now` is null for these: find the hours on the operator's own page, or leave",
              "them unknown.", ""]
    lines += [f"- `{s.id}` ({s.country}): {_hours(s)}" for s in unknown]
    translated = [s for s in registry.all_services() if s.what_happens_fil]
    lines += [
        "",
        "### Filipino texts to review (native speaker)",
        "",
        f"{len(translated)} entries have their own Filipino `what_happens_fil` (Philippines and the",
        "international list), and every kind has a Filipino description that the other countries'",
        "entries show in Filipino replies (`data/hotlines/fil.yml`, with the Filipino country names).",
        "They were written for issue 18 and **need native review**: read each one against its English",
        "line and the source.",
        "",
    ]
    return lines


def render(registry: Registry, config: Settings, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    countries = sorted(c for c in registry.services if c != INTERNATIONAL)
    lines = [
        "# Hotline registry: reviewer's report",
        "",
        f"Generated {today.isoformat()} from `data/hotlines/` (format: docs/hotlines.md).",
        f"{sum(len(s) for s in registry.services.values())} services in {len(countries)} countries, "
        f"plus the international fallback; {len(registry.emergency)} emergency numbers.",
        f"Due for recheck: {len(registry.warnings)}.",
        "",
        "For each entry, open the source and check that the number or address is on it, that the",
        "service still exists, and what it says happens when you contact it. Then update",
        "`verified_on` and `recheck_by` in the file.",
        "",
        *_attention(registry, today),
    ]
    for code in [INTERNATIONAL, *countries]:
        title = "International fallback" if code == INTERNATIONAL else f"{country_name(code)} ({code})"
        lines += [f"## {title}", ""]
        emergency = registry.emergency_for(code)
        if emergency:
            note = f" ({emergency.note})" if emergency.note else ""
            lines += [f"Emergency: {', '.join(emergency.numbers)}, source <{emergency.source_url}>{note}", ""]
        for service in registry.services[code]:
            flag = " **DUE FOR RECHECK**" if service.recheck_by < today else ""
            lines += [
                f"- **{service.name}** (`{service.id}`){flag}",
                f"  - kinds: {', '.join(service.kinds)}; {_contacts(service)}",
                f"  - what happens: {service.what_happens}",
                *([f"  - in Filipino (needs native review): {service.what_happens_fil}"]
                  if service.what_happens_fil else []),
                f"  - hours: {_hours(service)}",
                *([f"  - ages: {service.min_age if service.min_age is not None else ''}"
                   f"-{service.max_age if service.max_age is not None else ''}"]
                  if service.min_age is not None or service.max_age is not None else []),
                f"  - source: <{service.source_url}>; verified {service.verified_on}; "
                f"recheck by {service.recheck_by}",
            ]
        path = config.hotlines_dir / ("international.yml" if code == INTERNATIONAL else f"{code.lower()}.yml")
        notes = _notes(path)
        if notes:
            lines += ["", "Notes in the file:", "", *[f"> {n}" if n else ">" for n in notes]]
        lines.append("")
    secondary = sorted(e.country for e in registry.emergency.values() if "secondary" in (e.note or ""))
    lines += [
        "## Emergency numbers from secondary sources",
        "",
        f"{len(secondary)} rows need a government source: {', '.join(secondary)}.",
        "",
    ]
    return "\n".join(lines)


def write(registry: Registry, config: Settings, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(registry, config), encoding="utf-8")
    return path
