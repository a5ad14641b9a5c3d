from __future__ import annotations

import dataclasses
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import handover, hotlines, replies, selection
from actions.context import Context, entity, registry, resolve, text
from bot.content.catalog import Topic
from bot.hotlines import need as needs
from bot.hotlines import routing
from bot.safety.detector import suggests_parent

# The tier, and the crisis item's category, when only the model suspects a crisis
# (bot/safety/model.py; imported by name, so the action server loads no model code).
CHECK_IN = "check-in"
# What help leads after a crisis, by category (bot/hotlines/need.py).
NEEDS = {
    "imminent-danger": "crisis",
    "self-harm": "self-harm",
    "sexual-abuse-disclosure": "abuse",
    "threat": "sextortion",
    "safe-word": "crisis",
}
# The answers to the check-in's "Are you safe right now?" (button payload entity `confirm`).
DANGER, HAPPENED, INFORMATION = "danger", "happened", "information"


class ActionCrisis(Action):
    """A crisis or disclosure: acknowledgement, emergency number, then human help, first.

    A crisis only the model suspects gets a check-in instead: the emergency number and the
    best helpline, then one question with three answers, each leading to its next step."""

    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        latest = tracker.latest_message or {}
        detected = latest.get("crisis") or {}
        confirm = entity(tracker, "confirm")
        if confirm in (DANGER, HAPPENED, INFORMATION):
            return self.after_check_in(dispatcher, tracker, ctx, confirm)
        category = detected.get("category")
        category = category if category in NEEDS else "safe-word"  # help, no assumptions
        family = bool(detected.get("family_offender"))
        if detected.get("tier") == CHECK_IN:
            return self.check_in(dispatcher, tracker, ctx, category, family, confident(ctx, latest, family))
        return reply(dispatcher, tracker, ctx, category, family, topic=confident(ctx, latest, family))

    def check_in(self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: Context, suspected: str,
                 family: bool, topic: Topic | None) -> list[dict[str, Any]]:
        crisis = ctx.catalog.crisis
        opening(dispatcher, ctx, CHECK_IN, family, suspected=suspected)
        if ctx.country is not None:  # the best helpline for what it looks like; all of them once confirmed
            found = select(tracker, ctx, NEEDS[suspected], best_only=True)
            dispatcher.utter_message(text="\n".join(hotlines.service_lines(ctx, found)))
            dispatcher.utter_message(json_message=hotlines.hotlines_item(ctx, found))
        events = list(ctx.events)
        if topic:  # a question the bot is sure of is answered too; the question comes last
            replies.answer(dispatcher, ctx, topic)
            events.append(SlotSet("last_topic", topic.id))
        buttons = [
            {"title": crisis.text(f"check_in_{answer}", ctx.language),
             "payload": replies.payload("crisis", confirm=answer)}
            for answer in (DANGER, HAPPENED, INFORMATION)
        ]
        dispatcher.utter_message(text=crisis.text("check_in_question", ctx.language),
                                 buttons=buttons + person_button(tracker, ctx))
        # "I was asking for information" then answers the closest topic, if not answered already.
        closest = selection.suggestions(selection.ranking(tracker.latest_message or {}))
        asked = None if topic or not closest else closest[0]
        return events + [SlotSet("check_in_category", suspected), SlotSet("pending_topic", asked)]

    def after_check_in(self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: Context,
                       answer: str) -> list[dict[str, Any]]:
        suspected = tracker.get_slot("check_in_category") or "sexual-abuse-disclosure"
        events = [SlotSet("check_in_category", None), SlotSet("pending_topic", None)]
        if answer == INFORMATION:
            topic = ctx.catalog.topic(tracker.get_slot("pending_topic") or "")
            if topic is None or topic.id in selection.NEVER_SUGGESTED:
                replies.menu(dispatcher, ctx)
                return ctx.events + events
            replies.answer(dispatcher, ctx, topic)
            return ctx.events + events + [SlotSet("last_topic", topic.id)]
        if answer == DANGER:
            category = "imminent-danger"
        else:  # it happened and they are safe now: the disclosure reply, not "get to safety"
            category = "sexual-abuse-disclosure" if suspected == "imminent-danger" else suspected
        return reply(dispatcher, tracker, ctx, category, family=False) + events


def confident(ctx: Context, latest: dict[str, Any], family: bool) -> Topic | None:
    """The question in the message, if the bot is sure of it: a sextortion victim also
    needs the steps. Never the deterrence topic (a person in crisis writes as the one at
    risk), and never an answer that says to tell a parent when family is named."""
    topic = ctx.catalog.topic(selection.confident_topic(selection.ranking(latest)) or "")
    if topic is None or topic.id in selection.NEVER_SUGGESTED:
        return None
    if family and suggests_parent(topic.answer(ctx.audience, ctx.language)):
        return None
    return topic


def opening(dispatcher: CollectingDispatcher, ctx: Context, category: str, family: bool,
            suspected: str | None = None) -> None:
    """The acknowledgement and emergency number, the `crisis` item, and with a family
    offender, adults outside the family: first in every crisis reply."""
    crisis = ctx.catalog.crisis
    emergency = registry().emergency_for(ctx.country)
    acknowledgement = crisis.acknowledge(category, ctx.language)
    dispatcher.utter_message(text=f"{acknowledgement}\n\n{replies.emergency_line(ctx)}")
    dispatcher.utter_message(json_message={
        "kind": "crisis",
        "category": category,
        **({"suspected": suspected} if suspected else {}),
        "language": ctx.language,
        "family_offender": family,
        "country": ctx.country,
        "emergency_number": emergency.numbers[0] if emergency else None,
        "sources": [s.as_dict() for s in crisis.sources],
        "reviewed_on": crisis.reviewed_on.isoformat(),
    })
    if family:  # never send a child back to a family member who may be the abuser
        key = "family_offender_ph" if ctx.country == "PH" else "family_offender"
        dispatcher.utter_message(text=crisis.text(key, ctx.language))


def reply(dispatcher: CollectingDispatcher, tracker: Tracker, ctx: Context, category: str, family: bool,
          topic: Topic | None = None) -> list[dict[str, Any]]:
    """The whole crisis reply: opening, human help for the category (or the one question
    for the country), then the question's answer if there was one."""
    crisis = ctx.catalog.crisis
    opening(dispatcher, ctx, category, family)
    need = NEEDS[category]
    events = list(ctx.events)
    person = person_button(tracker, ctx)
    if ctx.country is None:
        dispatcher.utter_message(
            text=crisis.text("ask_country", ctx.language), buttons=person + hotlines.country_buttons(ctx)
        )
        events += [SlotSet("country_asked", True), SlotSet("pending_need", need)]
    else:
        found = select(tracker, ctx, need)
        help_lines = [crisis.text("human_help", ctx.language), *hotlines.service_lines(ctx, found)]
        dispatcher.utter_message(text="\n".join(help_lines), buttons=person)
        dispatcher.utter_message(json_message=hotlines.hotlines_item(ctx, found))
    if topic:
        replies.answer(dispatcher, ctx, topic)
        events.append(SlotSet("last_topic", topic.id))
    return events


def select(tracker: Tracker, ctx: Context, need: str, best_only: bool = False) -> routing.Selection:
    """Open now first; for this person's age; text and chat first if they can't call."""
    message = text(tracker)
    found = routing.select(
        registry(), ctx.country, need, ctx.audience, who=routing.person(message, ctx.audience),
        now=hotlines.clock(), urgent=True, cannot_call=needs.cannot_call(message),
    )
    return dataclasses.replace(found, services=found.services[:1], more=True) if best_only else found


def person_button(tracker: Tracker, ctx: Context) -> list[dict[str, str]]:
    """Where the channel's own people can take over (Messenger's page inbox), a button for it."""
    return [handover.person_button(ctx)] if handover.offered(tracker) else []
