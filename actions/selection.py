"""Which vetted topic a message asks about, and how sure the model is."""

from __future__ import annotations

from typing import Any

# Tuned on the dev splits with `make eval` (docs/model.md): below these the bot
# offers a choice instead of risking a confident wrong answer.
MIN_CONFIDENCE = 0.3
MIN_MARGIN = 0.05
# Topics below this are too unlikely to offer as "did you mean".
SUGGEST_CONFIDENCE = 0.05
MAX_SUGGESTIONS = 3
# The deterrence topic, for people worried about their own urges, is never a guess: a
# victim, a parent or a teacher offered it would be hurt or misled. Asked plainly, it is
# answered with confidence like any topic.
NEVER_SUGGESTED = frozenset({"worried-about-own-thoughts"})


def ranking(latest_message: dict[str, Any]) -> list[tuple[str, float]]:
    """(content id, confidence) pairs from the response selector, best first."""
    selector = (latest_message.get("response_selector") or {}).get("faq") or {}
    out = []
    for item in selector.get("ranking") or []:
        key = str(item.get("intent_response_key") or "")
        if key.startswith("faq/"):
            out.append((key.removeprefix("faq/"), float(item.get("confidence") or 0.0)))
    return sorted(out, key=lambda pair: -pair[1])


def confident_topic(ranked: list[tuple[str, float]]) -> str | None:
    if not ranked:
        return None
    top, confidence = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if confidence >= MIN_CONFIDENCE and confidence - runner_up >= MIN_MARGIN:
        return top
    return None


def suggestions(ranked: list[tuple[str, float]]) -> list[str]:
    kept = [(cid, conf) for cid, conf in ranked if cid not in NEVER_SUGGESTED]
    return [cid for cid, conf in kept[:MAX_SUGGESTIONS] if conf >= SUGGEST_CONFIDENCE]
