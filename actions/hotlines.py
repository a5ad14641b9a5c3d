from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import Context, entity, registry, resolve, text
from bot import settings
from bot.hotlines import hours, places, routing
from bot.hotlines import need as needs
from bot.hotlines.registry import Registry, Service, display_number

# The clock the hotline replies read what is open now from; tests pin it
# (monkeypatch `actions.hotlines.clock`).
clock = hours.clock


class ActionHotlines(Action):
    """Who to call: the best few services for the user's need in their country."""

    def name(self) -> str:
        return "action_hotlines"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        topic = ctx.catalog.topic(entity(tracker, "content_id") or tracker.get_slot("last_topic") or "")
        topic_need = (
            entity(tracker, "need") or tracker.get_slot("pending_need") or (topic.help if topic else None)
        )
        return ctx.events + offer(dispatcher, tracker, ctx, topic_need)


def offer(
    dispatcher: CollectingDispatcher, tracker: Tracker, ctx: Context, topic_need: str | None = None
) -> list[dict[str, Any]]:
    """Show the hotlines for this message, or ask once for the country first."""
    message = "" if text(tracker).startswith("/") else text(tracker)
    reg = registry()
    need = needs.resolve(message, topic_need, ctx.audience)
    named = needs.named_service(reg, message)
    country = ctx.country or (named.country if named and named.country in reg.services else None)
    if country is None and not tracker.get_slot("country_asked") and named is None:
        ask_country(dispatcher, ctx)
        return [SlotSet("country_asked", True), SlotSet("pending_need", need)]

    found = places.mentions(message, settings.load().places_file)
    selection = routing.select(
        reg,
        country,
        need,
        ctx.audience,
        named=named,
        abroad_country=places.other_country(found, country),
        show_all=entity(tracker, "more") == "all",
        who=routing.person(message, ctx.audience),
        now=clock(),
        cannot_call=needs.cannot_call(message),
    )
    render(dispatcher, ctx, selection)
    return [SlotSet("pending_need", None)]


def ask_country(dispatcher: CollectingDispatcher, ctx: Context) -> None:
    text = ctx.catalog.message("ask_country", ctx.language)
    dispatcher.utter_message(text=text, buttons=country_buttons(ctx))


def country_name(reg: Registry, code: str | None, language: str) -> str:
    """The country's name in the reply's language: "Pilipinas", never "the Philippines"."""
    if language == "fil" and code:
        return reg.fil_countries.get(code) or places.country_label(code)
    return places.country_name(code) if code else ""


def _when(ctx: Context, service: Service, at: Any, now: Any) -> str:
    say = ctx.catalog.message
    zone = country_name(registry(), service.country, "fil") if ctx.language == "fil" else (
        (service.timezone or "").rsplit("/", 1)[-1].replace("_", " "))
    time = f"{at.hour}:{at.minute:02d}"
    local_now = now.astimezone(at.tzinfo)
    if at.date() == local_now.date():
        return say("hotline_when_today", ctx.language, time=time, zone=zone)
    day = say("hotline_weekdays", ctx.language).split(",")[at.weekday()]
    return say("hotline_when_day", ctx.language, day=day, time=time, zone=zone)


def status_label(ctx: Context, service: Service, selection: routing.Selection) -> str | None:
    """"open now · 24/7", "closed now · opens 8:00 (Manila time)", or None when unknown."""
    say = ctx.catalog.message
    state = selection.statuses.get(service.id)
    now = selection.now
    if state is None or state.open_now is None or now is None:
        return None
    if state.open_now is False:
        if state.opens_at is None:
            return None
        return say("hotline_closed_opens", ctx.language, when=_when(ctx, service, state.opens_at, now))
    closed = [m for m, v in state.by_method.items() if v is False]
    if closed and service.opening:
        opens = service.opening.opens_at(closed[0], now)
        methods = ", ".join(say(f"hotline_method_{m}", ctx.language) for m, v in state.by_method.items() if v)
        if opens:
            return say("hotline_open_partly", ctx.language, methods=methods,
                       method=say(f"hotline_method_{closed[0]}", ctx.language),
                       when=_when(ctx, service, opens, now))
    if state.always:
        return say("hotline_open_always", ctx.language)
    if state.closes_at:
        until = state.closes_at
        return say("hotline_open_until", ctx.language, time=f"{until.hour}:{until.minute:02d}")
    return None


def hours_text(ctx: Context, service: Service) -> str | None:
    """The weekly hours in the reply's language; None when they are not structured."""
    opening = service.opening
    if opening is None or not opening.weekly or (opening.unread and ctx.language == "fil"):
        return service.hours if ctx.language != "fil" else None
    if ctx.language != "fil":
        return service.hours
    say = ctx.catalog.message
    days = tuple(say("hotline_weekdays_short", ctx.language).split(","))
    methods = {m: say(f"hotline_method_{m}", ctx.language) for m in hours.METHODS}
    return hours.describe(opening, days, methods)


def line(ctx: Context, service: Service, selection: routing.Selection | None = None) -> str:
    say = ctx.catalog.message
    call = text_ = None
    if service.phone:
        call = say("hotline_call", ctx.language, number=display_number(service.phone, service.country))
    if service.sms:
        text_ = say("hotline_text", ctx.language, number=display_number(service.sms, service.country))
    if selection is not None and selection.cannot_call:
        # Someone who can't speak out loud: text, chat and online forms first, the call last.
        chat = say("hotline_chat", ctx.language, url=service.chat) if service.chat else None
        online = say("hotline_online", ctx.language, url=service.url) if service.url else None
        ways = [w for w in (text_, chat, online, call) if w]
    else:
        ways = [w for w in (call, text_) if w]
        if not ways and (service.url or service.chat):
            ways.append(say("hotline_online", ctx.language, url=service.url or service.chat))
    label = status_label(ctx, service, selection) if selection is not None else None
    shown_hours = hours_text(ctx, service)
    if label and shown_hours and not label.endswith("24/7"):
        label = f"{label}; {shown_hours}"
    label = label or shown_hours
    hours_part = f" {say('hotline_hours', ctx.language, hours=label)}" if label else ""
    return f"• {service.name}: {', '.join(ways)}{hours_part}"


def service_lines(ctx: Context, selection: routing.Selection) -> list[str]:
    say = ctx.catalog.message
    lines = [line(ctx, s, selection) for s in selection.services]
    if selection.abroad:
        abroad = country_name(registry(), selection.abroad_country, ctx.language)
        lines.append(say("hotlines_abroad", ctx.language, country=abroad))
        lines += [line(ctx, s, selection) for s in selection.abroad]
    return lines


def entry(ctx: Context, service: Service, selection: routing.Selection) -> dict[str, Any]:
    """One `hotlines` entry: the registry's fields in the reply's language, and what is
    open now (docs/reply-contract.md)."""
    out = service.as_dict()
    out["what_happens"] = registry().what_happens(service, ctx.language)
    shown_hours = hours_text(ctx, service)
    if shown_hours:
        out["hours"] = shown_hours
    else:
        out.pop("hours", None)
    state = selection.statuses.get(service.id)
    out["open_now"] = state.open_now if state else None
    if state and state.open_now is False and state.opens_at:
        out["opens_at"] = state.opens_at.isoformat(timespec="minutes")
    if state and len(set(state.by_method.values())) > 1:
        out["open_now_by"] = dict(state.by_method)
    label = status_label(ctx, service, selection)
    if label:
        out["status"] = label
    return out


def hotlines_item(ctx: Context, selection: routing.Selection) -> dict[str, Any]:
    """The `hotlines` item of the reply contract."""
    entries = [entry(ctx, s, selection) for s in selection.services]
    if selection.emergency:
        what_happens = ctx.catalog.message("emergency_what_happens", ctx.language)
        emergency = needs.emergency_entry(selection.emergency, what_happens)
        emergency["name"] = ctx.catalog.message("emergency_name", ctx.language)
        emergency["open_now"] = None  # the emergency table has no hours
        entries.append(emergency)
    item: dict[str, Any] = {
        "kind": "hotlines",
        "country": selection.country,
        "need": selection.need,
        "international": selection.international,
        "entries": entries,
    }
    if selection.abroad:
        item["abroad"] = {
            "country": selection.abroad_country,
            "entries": [entry(ctx, s, selection) for s in selection.abroad],
        }
    return item


def country_buttons(ctx: Context, count: int | None = None) -> list[dict[str, str]]:
    return [
        {"title": places.country_label(code), "payload": replies.payload("inform_country", country=code)}
        for code in ctx.catalog.countries[:count]
    ]


def render(dispatcher: CollectingDispatcher, ctx: Context, selection: routing.Selection) -> None:
    say = ctx.catalog.message
    country = selection.country
    name = country_name(registry(), country, ctx.language)
    if not selection.international:
        intro = say("hotlines_intro", ctx.language, country=name)
    elif country:
        intro = say("hotlines_intro_international", ctx.language, country=name)
    else:
        intro = say("hotlines_intro_unknown", ctx.language)
    lines = [intro, *service_lines(ctx, selection)]
    if selection.emergency:
        lines.append(say("hotlines_emergency", ctx.language, number=selection.emergency.numbers[0]))
    else:
        lines.append(say("hotlines_emergency_unknown", ctx.language))

    buttons = []
    if selection.more:
        buttons.append({
            "title": say("button_more_hotlines", ctx.language),
            "payload": replies.payload("ask_hotline", more="all", need=selection.need),
        })
    if not country or selection.international:
        buttons += country_buttons(ctx, 3)
    dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
    dispatcher.utter_message(json_message=hotlines_item(ctx, selection))
