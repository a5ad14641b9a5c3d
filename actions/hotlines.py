from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import Context, entity, registry, resolve, text
from bot import settings
from bot.hotlines import need as needs
from bot.hotlines import places, routing
from bot.hotlines.registry import Service, display_number


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
    )
    render(dispatcher, ctx, selection)
    return [SlotSet("pending_need", None)]


def ask_country(dispatcher: CollectingDispatcher, ctx: Context) -> None:
    text = ctx.catalog.message("ask_country", ctx.language)
    dispatcher.utter_message(text=text, buttons=country_buttons(ctx))


def line(ctx: Context, service: Service) -> str:
    say = ctx.catalog.message
    ways = []
    if service.phone:
        ways.append(say("hotline_call", ctx.language, number=display_number(service.phone, service.country)))
    if service.sms:
        ways.append(say("hotline_text", ctx.language, number=display_number(service.sms, service.country)))
    if not ways and (service.url or service.chat):
        ways.append(say("hotline_online", ctx.language, url=service.url or service.chat))
    hours = f" {say('hotline_hours', ctx.language, hours=service.hours)}" if service.hours else ""
    return f"• {service.name}: {', '.join(ways)}{hours}"


def service_lines(ctx: Context, selection: routing.Selection) -> list[str]:
    say = ctx.catalog.message
    lines = [line(ctx, s) for s in selection.services]
    if selection.abroad:
        abroad = places.country_name(selection.abroad_country)
        lines.append(say("hotlines_abroad", ctx.language, country=abroad))
        lines += [line(ctx, s) for s in selection.abroad]
    return lines


def hotlines_item(ctx: Context, selection: routing.Selection) -> dict[str, Any]:
    """The `hotlines` item of the reply contract."""
    entries = [s.as_dict() for s in selection.services]
    if selection.emergency:
        what_happens = ctx.catalog.message("emergency_what_happens", ctx.language)
        entries.append(needs.emergency_entry(selection.emergency, what_happens))
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
            "entries": [s.as_dict() for s in selection.abroad],
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
    if not selection.international:
        intro = say("hotlines_intro", ctx.language, country=places.country_name(country))
    elif country:
        intro = say("hotlines_intro_international", ctx.language, country=places.country_name(country))
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
