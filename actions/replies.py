"""Reply parts several actions share: topic buttons, the menu, did-you-mean."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context
from bot.content.catalog import Topic


def payload(intent: str, **entities: str) -> str:
    """A button payload: the intent and entities Rasa should read, not free text."""
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}" if entities else f"/{intent}"


def topic_button(topic: Topic, language: str) -> dict[str, str]:
    return {"title": topic.title[language], "payload": payload("faq", content_id=topic.id)}


def hotline_button(ctx: Context) -> dict[str, str]:
    return {"title": ctx.catalog.message("button_hotlines", ctx.language), "payload": payload("ask_hotline")}


def topics_button(ctx: Context) -> dict[str, str]:
    return {"title": ctx.catalog.message("button_topics", ctx.language), "payload": payload("show_topics")}


def forget_button(ctx: Context) -> dict[str, str]:
    return {"title": ctx.catalog.message("button_forget", ctx.language), "payload": payload("forget_me")}


def menu(dispatcher: CollectingDispatcher, ctx: Context, intro_key: str = "topics_intro") -> None:
    buttons = [topic_button(t, ctx.language) for t in ctx.catalog.menu_for(ctx.audience)]
    dispatcher.utter_message(
        text=ctx.catalog.message(intro_key, ctx.language), buttons=buttons + [hotline_button(ctx)]
    )


def answer(
    dispatcher: CollectingDispatcher, ctx: Context, topic: Topic, buttons: list[dict[str, str]] | None = None
) -> str:
    """A vetted answer and its `answer` item; returns the text sent."""
    text = topic.answer(ctx.audience, ctx.language)
    dispatcher.utter_message(
        text=text, buttons=buttons or [], json_message=topic.payload(ctx.audience, ctx.language)
    )
    return text


def fallback(
    dispatcher: CollectingDispatcher, ctx: Context, reason: str, suggestions: list[str]
) -> None:
    """Say honestly that the bot is unsure; offer the closest topics and help."""
    topics = [t for t in map(ctx.catalog.topic, suggestions) if t]
    if topics:
        text = ctx.catalog.message("fallback_did_you_mean", ctx.language)
        buttons = [topic_button(t, ctx.language) for t in topics]
    else:
        text = ctx.catalog.message("fallback_rephrase", ctx.language)
        buttons = [topics_button(ctx)]
    dispatcher.utter_message(text=text, buttons=buttons + [hotline_button(ctx)])
    item: dict[str, Any] = {
        "kind": "fallback", "reason": reason, "suggestions": [t.id for t in topics], "language": ctx.language,
    }
    dispatcher.utter_message(json_message=item)
