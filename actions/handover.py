from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import hotlines, replies
from actions.context import Context, metadata, resolve

# Channels whose own people can take a conversation over say so in metadata (the REST
# channel keeps only these values): today Messenger's page inbox.
HANDOVERS = ("page_inbox",)


def offered(tracker: Tracker) -> str | None:
    """The handover this channel offers, if any."""
    value = metadata(tracker).get("handover")
    return value if value in HANDOVERS else None


def person_button(ctx: Context) -> dict[str, str]:
    title = ctx.catalog.message("menu_person", ctx.language)
    return {"title": title, "payload": replies.payload("talk_to_person")}


class ActionTalkToPerson(Action):
    """"Talk to a person": where the channel can hand the conversation to its people, a
    `handover` item the channel acts on (it passes the thread and tells the user when they
    answer); elsewhere, the people to contact: the hotlines."""

    def name(self) -> str:
        return "action_talk_to_person"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        to = offered(tracker)
        if to is None:
            return ctx.events + hotlines.offer(dispatcher, tracker, ctx)
        dispatcher.utter_message(json_message={
            "kind": "handover", "to": to, "language": ctx.language, "country": ctx.country,
        })
        return ctx.events
