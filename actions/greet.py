from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import resolve
from bot.content.catalog import AUDIENCES, LANGUAGES


class ActionGreet(Action):
    """First greeting: the privacy notice and the audience choice. Later: the menu."""

    def name(self) -> str:
        return "action_greet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        say = ctx.catalog.message
        if tracker.get_slot("privacy_notice_shown"):
            replies.menu(dispatcher, ctx, intro_key="greet_again")
            return ctx.events
        # The other language, one tap away: detection can't tell from "hi".
        other = next(lang for lang in LANGUAGES if lang != ctx.language)
        switch = {"title": say(f"language_button_{other}", other),
                  "payload": replies.payload("choose_language", language=other)}
        dispatcher.utter_message(text=say("greet", ctx.language), buttons=[switch])
        notice = say("privacy_notice", ctx.language)
        dispatcher.utter_message(text=notice, buttons=[replies.forget_button(ctx)])
        if ctx.audience is None:
            buttons = [
                {
                    "title": say(f"audience_button_{aud}", ctx.language),
                    "payload": replies.payload("choose_audience", audience=aud),
                }
                for aud in AUDIENCES
            ]
            dispatcher.utter_message(text=say("ask_audience", ctx.language), buttons=buttons)
        else:
            replies.menu(dispatcher, ctx)
        return ctx.events + [SlotSet("privacy_notice_shown", True)]
