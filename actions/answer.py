from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import hotlines, replies, selection
from actions.context import entity, resolve, text
from bot import settings
from bot.hotlines import need as needs
from bot.hotlines import places
from bot.safety.detector import has_risk_words

# Answers about privacy offer to forget the conversation there and then.
FORGET_TOPICS = {"about-this-bot", "privacy-and-data"}


class ActionAnswer(Action):
    """Answer from the vetted catalog, or say honestly that the topic is unclear."""

    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        message = "" if text(tracker).startswith("/") else text(tracker)
        asks_for_contact = needs.wants_contact(message)
        ranked = selection.ranking(tracker.latest_message or {})
        chosen = entity(tracker, "content_id")  # from a topic button
        topic = ctx.catalog.topic(chosen or selection.confident_topic(ranked) or "")
        if topic is None:
            if asks_for_contact:  # unsure of the topic, sure they want someone to contact
                return ctx.events + hotlines.offer(dispatcher, tracker, ctx)
            replies.fallback(dispatcher, ctx, "unsure", selection.suggestions(ranked),
                             harm=has_risk_words(message))
            return ctx.events
        # Naming a place with a question that involves reporting also asks for local help.
        names_place = bool(places.mentions(message, settings.load().places_file))
        show_help = asks_for_contact or bool(topic.help and names_place)
        buttons = [replies.forget_button(ctx)] if topic.id in FORGET_TOPICS else []
        if topic.help and not show_help:
            buttons.append({
                "title": ctx.catalog.message("button_who_can_help", ctx.language),
                "payload": replies.payload("ask_hotline", content_id=topic.id),
            })
        replies.answer(dispatcher, ctx, topic, buttons)
        events = ctx.events + [SlotSet("last_topic", topic.id)]
        if show_help:  # answer first, then who to contact
            events += hotlines.offer(dispatcher, tracker, ctx, topic.help)
        return events
