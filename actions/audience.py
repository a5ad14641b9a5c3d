from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import resolve


class ActionChooseAudience(Action):
    """The user said who they are (a button or "I'm a teacher"): confirm, show topics."""

    def name(self) -> str:
        return "action_choose_audience"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        intro = f"audience_set_{ctx.audience}" if ctx.audience else "topics_intro"
        replies.menu(dispatcher, ctx, intro_key=intro)
        return ctx.events
