from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import entity, resolve, text
from bot import language
from bot.content.catalog import LANGUAGES


class ActionChooseLanguage(Action):
    """"Tagalog po", "English please", a language button or /language: switch, or offer the choice."""

    def name(self) -> str:
        return "action_choose_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)  # applies a language named in the message or the button
        say = ctx.catalog.message
        if entity(tracker, "language") or language.explicit_choice(text(tracker)):
            topics = replies.topics_button(ctx)
            dispatcher.utter_message(text=say("language_set", ctx.language), buttons=[topics])
            return ctx.events
        buttons = [
            {"title": say(f"language_button_{lang}", ctx.language),
             "payload": replies.payload("choose_language", language=lang)}
            for lang in LANGUAGES
        ]
        dispatcher.utter_message(text=say("ask_language", ctx.language), buttons=buttons)
        return ctx.events
