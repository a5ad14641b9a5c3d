from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import handover, hotlines, replies, selection
from actions.context import registry, resolve, text
from bot.hotlines import need as needs
from bot.hotlines import routing
from bot.safety.detector import suggests_parent

# What help leads after a crisis, by category (bot/hotlines/need.py).
NEEDS = {
    "imminent-danger": "crisis",
    "self-harm": "self-harm",
    "sexual-abuse-disclosure": "abuse",
    "threat": "sextortion",
    "safe-word": "crisis",
    "possible": "crisis",  # the intent model's guess, without a rule's hit
}


class ActionCrisis(Action):
    """A crisis or disclosure: acknowledgement, emergency number, then human help, first."""

    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        crisis = ctx.catalog.crisis
        latest = tracker.latest_message or {}
        detected = latest.get("crisis") or {}
        category = detected.get("category") if detected.get("category") in NEEDS else "possible"
        if category == "possible" and needs.wants_contact(text(tracker)):
            # Only the model's guess, and the message asks who to contact: show who.
            return ctx.events + hotlines.offer(dispatcher, tracker, ctx)
        family = bool(detected.get("family_offender"))
        reg = registry()
        emergency = reg.emergency_for(ctx.country)
        dispatcher.utter_message(
            text=f"{crisis.acknowledge(category, ctx.language)}\n\n{replies.emergency_line(ctx)}"
        )
        dispatcher.utter_message(json_message={
            "kind": "crisis",
            "category": category,
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

        need = NEEDS[category]
        events = list(ctx.events)
        # Where the channel's own people can take over (Messenger's page inbox), a button for it.
        person = [handover.person_button(ctx)] if handover.offered(tracker) else []
        if ctx.country is None:
            dispatcher.utter_message(
                text=crisis.text("ask_country", ctx.language), buttons=person + hotlines.country_buttons(ctx)
            )
            events += [SlotSet("country_asked", True), SlotSet("pending_need", need)]
        else:
            # Open now first; for this person's age; text and chat first if they can't call.
            message = text(tracker)
            found = routing.select(
                reg, ctx.country, need, ctx.audience, who=routing.person(message, ctx.audience),
                now=hotlines.clock(), urgent=True, cannot_call=needs.cannot_call(message),
            )
            help_lines = [crisis.text("human_help", ctx.language), *hotlines.service_lines(ctx, found)]
            dispatcher.utter_message(text="\n".join(help_lines), buttons=person)
            dispatcher.utter_message(json_message=hotlines.hotlines_item(ctx, found))

        # Then the question itself, if it was one: a sextortion victim also needs the steps.
        topic = ctx.catalog.topic(selection.confident_topic(selection.ranking(latest)) or "")
        if topic and topic.id in selection.NEVER_SUGGESTED:
            topic = None  # a person in crisis writes as the one at risk, not as an offender
        if topic and not (family and suggests_parent(topic.answer(ctx.audience, ctx.language))):
            replies.answer(dispatcher, ctx, topic)
            events.append(SlotSet("last_topic", topic.id))
        return events
