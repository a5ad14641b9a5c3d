from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies, selection
from actions.context import entity, resolve


class ActionAnswer(Action):
    """Answer from the vetted catalog, or say honestly that the topic is unclear."""

    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        ranked = selection.ranking(tracker.latest_message or {})
        chosen = entity(tracker, "content_id")  # from a topic button
        topic = ctx.catalog.topic(chosen or selection.confident_topic(ranked) or "")
        if topic is None:
            replies.fallback(dispatcher, ctx, "unsure", selection.suggestions(ranked))
            return ctx.events
        dispatcher.utter_message(
            text=topic.answer(ctx.audience, ctx.language),
            json_message=topic.payload(ctx.audience, ctx.language),
        )
        return ctx.events
