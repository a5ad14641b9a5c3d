from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import hotlines, replies
from actions.context import resolve, text
from bot.hotlines import need as needs


class ActionOutOfScope(Action):
    """Kindly say what the bot covers, and show its topics."""

    def name(self) -> str:
        return "action_out_of_scope"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        if needs.asks_for_help(text(tracker)):  # someone asking who to call for a safety need
            return ctx.events + hotlines.offer(dispatcher, tracker, ctx)
        replies.menu(dispatcher, ctx, intro_key="out_of_scope")
        item = {"kind": "fallback", "reason": "out_of_scope", "suggestions": [], "language": ctx.language}
        dispatcher.utter_message(json_message=item)
        return ctx.events
