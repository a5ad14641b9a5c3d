"""The reviewer document for the vetted content (`make content-report`).

Each topic with every answer, its readability grade, its sources, review date and how
many training questions it has, so a safeguarding reviewer can read and sign off in one
place. The summary at the top lists the topics due for review.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.content import readability
from bot.content.catalog import AUDIENCES, LANGUAGES, Catalog, Topic

REVIEW_EVERY_DAYS = 365


def due_for_review(topic: Topic, today: dt.date) -> list[str]:
    """Why a topic needs a reviewer's attention now, if it does."""
    reasons = []
    if (today - topic.reviewed_on).days > REVIEW_EVERY_DAYS:
        reasons.append(f"last reviewed {topic.reviewed_on}, over 12 months ago")
    if len(topic.sources) < 2:
        reasons.append("a single source")
    return reasons


def render(catalog: Catalog, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    topics = sorted(catalog.topics.values(), key=lambda t: t.id)
    lines = [
        "# Vetted content: reviewer's report",
        "",
        f"Generated {today.isoformat()} from `data/content/` (format: docs/content.md).",
        f"{len(topics)} topics. For each answer, check every statement against the sources",
        "listed under it, that it is safe for its audience, and that a teen answer never sends",
        "a child back to someone who may be harming them. Then update `reviewed_on`.",
        "",
        "## Due for review",
        "",
    ]
    due = [(t, due_for_review(t, today)) for t in topics]
    due = [(t, reasons) for t, reasons in due if reasons]
    lines += [f"- `{t.id}`: {'; '.join(reasons)}" for t, reasons in due] or ["None."]
    lines += [
        "",
        "## All topics",
        "",
        "| topic | audiences | sources | reviewed | examples | offers help |",
        "|---|---|---|---|---|---|",
    ]
    for t in topics:
        examples = sum(len(t.examples[lang]) for lang in LANGUAGES)
        lines.append(
            f"| `{t.id}` | {', '.join(a for a in AUDIENCES if a in t.answers)} | {len(t.sources)} "
            f"| {t.reviewed_on} | {examples} | {t.help or '-'} |"
        )
    lines.append("")
    for t in topics:
        lines += [f"## {t.title['en']} (`{t.id}`)", "", f"Filipino title: {t.title['fil']}", ""]
        reviewer = t.reviewed_by or "unknown"
        lines += [f"Reviewed {t.reviewed_on} by {reviewer}; default audience {t.default_audience}."]
        lines += ["", "Sources:", ""]
        lines += [f"- {s.publisher}, \"{s.title}\": <{s.url}>" for s in t.sources]
        for audience in AUDIENCES:
            if audience not in t.answers:
                continue
            for lang in LANGUAGES:
                text = t.answers[audience][lang]
                if lang in readability.LANGUAGES:
                    limit = readability.MAX_GRADE[audience]
                    heading = f"### {audience} ({lang}): grade {readability.grade(text)} (limit {limit:g})"
                else:  # no readability formula for this language: a person checks it
                    heading = f"### {audience} ({lang}): check that it says what the English says"
                lines += ["", heading, "", text]
        lines.append("")
    return "\n".join(lines)


def write(catalog: Catalog, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(catalog), encoding="utf-8")
    return path
