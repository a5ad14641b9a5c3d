from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import resolve


class ActionShowTopics(Action):
    """List the topics that suit the user's audience."""

    def name(self) -> str:
        return "action_show_topics"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        replies.menu(dispatcher, ctx)
        return ctx.events
