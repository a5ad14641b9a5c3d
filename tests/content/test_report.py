"""The reviewer's report: grades per answer, and what is due for review."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.content import readability, report
from bot.content.catalog import load


def test_plain_lists_read_easier_than_dense_prose():
    plain = "If someone asks for pics:\n• Stop replying.\n• Block them.\n• Tell an adult you trust."
    dense = (
        "Perpetrators systematically cultivate emotional dependency through manipulative "
        "communication, gradually normalising inappropriate interactions."
    )
    assert readability.grade(plain) <= 3 < 12 < readability.grade(dense)


def test_old_or_single_source_topics_are_due(root):
    topic = load(root / "data/content").topics["grooming-what-it-is"]
    today = topic.reviewed_on
    assert report.due_for_review(topic, today) == []
    old = dataclasses.replace(topic, reviewed_on=today - dt.timedelta(days=400))
    assert "over 12 months ago" in report.due_for_review(old, today)[0]
    single = dataclasses.replace(topic, sources=topic.sources[:1])
    assert report.due_for_review(single, today) == ["a single source"]


def test_the_report_shows_each_answer_with_its_grade(root):
    catalog = load(root / "data/content")
    text = report.render(catalog)
    assert "## Due for review" in text
    for topic in catalog.topics.values():
        assert f"(`{topic.id}`)" in text
        for audience, answer in topic.answers.items():
            assert f"### {audience} (en): grade {readability.grade(answer['en'])}" in text
