"""Reply parts several actions share: topic buttons, the menu, did-you-mean."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context, registry
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


def emergency_line(ctx: Context) -> str:
    """"If you are in danger right now, call …": the country's number, or the common ones."""
    reg = registry()
    emergency = reg.emergency_for(ctx.country)
    if emergency:
        return ctx.catalog.crisis.text("emergency", ctx.language, number=emergency.numbers[0])
    numbers = " / ".join(reg.common_emergency_numbers())
    return ctx.catalog.crisis.text("emergency_unknown", ctx.language, numbers=numbers)


def fallback(
    dispatcher: CollectingDispatcher, ctx: Context, reason: str, suggestions: list[str], harm: bool = False
) -> None:
    """Say honestly that the bot is unsure; offer the closest topics and help. A message
    that speaks of harm also gets the emergency number, and the helplines first: never a
    dead end."""
    topics = [t for t in map(ctx.catalog.topic, suggestions) if t]
    if topics:
        text = ctx.catalog.message("fallback_did_you_mean", ctx.language)
        buttons = [topic_button(t, ctx.language) for t in topics]
    else:
        text = ctx.catalog.message("fallback_rephrase", ctx.language)
        buttons = [topics_button(ctx)]
    if harm:
        text = f"{text}\n\n{emergency_line(ctx)}"
        buttons = [hotline_button(ctx), *buttons]
    else:
        buttons = [*buttons, hotline_button(ctx)]
    dispatcher.utter_message(text=text, buttons=buttons)
    item: dict[str, Any] = {
        "kind": "fallback", "reason": reason, "suggestions": [t.id for t in topics], "language": ctx.language,
        "harm": harm,
    }
    dispatcher.utter_message(json_message=item)
