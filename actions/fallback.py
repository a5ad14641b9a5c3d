from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import hotlines, replies, selection
from actions.context import resolve, text
from bot.hotlines import need as needs
from bot.safety.detector import has_risk_words


class ActionFallback(Action):
    """The model is not confident about the message: never guess an answer."""

    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        if needs.wants_contact(text(tracker)):  # unsure what they asked, sure they want a contact
            return ctx.events + hotlines.offer(dispatcher, tracker, ctx)
        ranked = selection.ranking(tracker.latest_message or {})
        replies.fallback(dispatcher, ctx, "unsure", selection.suggestions(ranked),
                         harm=has_risk_words(text(tracker)))
        return ctx.events
