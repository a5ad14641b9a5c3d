"""The content checker: the real catalog passes, and each kind of fault is caught."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from bot.content import build
from bot.content.catalog import check, load

FOUNDATION_TOPICS = {
    "grooming-what-it-is", "grooming-warning-signs", "online-pressure-for-images",
    "meeting-online-contact", "sextortion-what-to-do", "image-removal",
    "livestream-abuse-what-it-is", "abuse-by-family-member", "report-abuse-material",
    "child-disclosure-response", "privacy-settings", "about-this-bot",
}


def test_the_real_catalog_passes_every_check(root):
    _, problems = check(root / "data/content")
    assert problems == []


def test_the_foundation_topics_are_all_there(root):
    assert set(load(root / "data/content").topics) >= FOUNDATION_TOPICS


def test_generated_rasa_files_are_up_to_date(root):
    catalog = load(root / "data/content")
    assert build.stale(catalog, root) == [], "run `make content` and commit the result"


def test_every_answer_fits_and_names_its_sources(root):
    catalog = load(root / "data/content")
    for topic in catalog.topics.values():
        for audience in ("parent", "teen", "educator"):
            payload = topic.payload(audience, "en")
            assert payload["content_id"] == topic.id
            assert payload["audience"] in topic.answers
            assert payload["sources"] and all(s["url"].startswith("https://") for s in payload["sources"])
            assert dt.date.fromisoformat(payload["reviewed_on"]) <= dt.date.today()


# --- faults: each one is planted in a copy of a real topic -------------------

HARD = (
    "Perpetrators systematically cultivate emotional dependency through manipulative "
    "communication, gradually normalising inappropriate interactions and isolating victims."
)

@pytest.fixture
def content(tmp_path: Path, root: Path) -> Path:
    """A copy of the content directory whose topics a test may change."""
    target = tmp_path / "content"
    shutil.copytree(root / "data/content", target)
    return target


def edit(content: Path, topic_id: str, change) -> None:
    path = content / "topics" / f"{topic_id}.yml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def problems_after(content: Path, topic_id: str, change) -> list[str]:
    edit(content, topic_id, change)
    return check(content)[1]


def test_unchanged_copy_has_no_problems(content):
    assert check(content)[1] == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("sources"), "needs at least one source"),
        (lambda d: d["sources"][0].pop("url"), "missing url"),
        (lambda d: d["sources"][0].update(url="http://example.org/page"), "url must be https"),
        (lambda d: d.pop("reviewed_on"), "reviewed_on must be a date"),
        (lambda d: d.update(reviewed_on="last week"), "reviewed_on must be a date"),
        (lambda d: d.update(reviewed_on=dt.date.today() + dt.timedelta(days=3)), "in the future"),
        (lambda d: d["answers"]["parent"].update(en="x" * 801), "the limit is 800"),
        (lambda d: d["examples"].update(en=d["examples"]["en"][:19]), "at least 20 needed"),
        (lambda d: d["answers"]["teen"].update(en=HARD), "teen answers must be at most grade 7"),
        (lambda d: d["examples"]["en"].append(d["examples"]["en"][0].upper()), "repeats the example"),
        (lambda d: d["examples"]["en"].append("call [me](name)"), "Rasa markup"),
        (lambda d: d["answers"]["parent"].update(en="Call 0917 899 8727 now."), "phone number"),
        (lambda d: d["title"].update(en="t" * 49), "the limit is 48"),
        (lambda d: d.update(default_audience="grandparent"), "default_audience"),
        (lambda d: d.update(extra="?"), "unknown key"),
        (lambda d: d.update(help="prayer"), "help must be one of"),
    ],
)
def test_faults_are_reported(content, change, expected):
    problems = problems_after(content, "grooming-what-it-is", change)
    assert any(expected in p for p in problems), problems


def test_duplicate_ids_are_reported(content):
    source = content / "topics" / "grooming-what-it-is.yml"
    shutil.copy(source, content / "topics" / "grooming-copy.yml")
    problems = check(content)[1]
    assert any("duplicate id" in p for p in problems)


def test_an_example_in_two_topics_is_reported(content):
    borrowed = yaml.safe_load((content / "topics/image-removal.yml").read_text())["examples"]["en"][0]
    problems = problems_after(content, "grooming-what-it-is", lambda d: d["examples"]["en"].append(borrowed))
    assert any("is also in" in p for p in problems)


def test_a_menu_naming_an_unknown_topic_is_reported(content):
    menu = content / "menu.yml"
    menu.write_text(menu.read_text().replace("about-this-bot", "no-such-topic", 1))
    assert any("unknown topic 'no-such-topic'" in p for p in check(content)[1])


def test_a_missing_message_language_is_reported(content):
    messages = content / "messages.yml"
    data = yaml.safe_load(messages.read_text())
    data["greet"] = {}
    messages.write_text(yaml.safe_dump(data))
    assert any("greet" in p and "missing the 'en' text" in p for p in check(content)[1])


def test_a_bad_country_button_is_reported(content):
    menu = content / "menu.yml"
    menu.write_text(menu.read_text().replace("countries: [PH,", "countries: [Philippines,"))
    assert any("not an ISO 3166-1 alpha-2 code" in p for p in check(content)[1])


def test_topic_help_needs_are_the_hotline_needs():
    from bot.content.catalog import HELP_NEEDS
    from bot.hotlines.need import NEEDS

    assert set(HELP_NEEDS) == set(NEEDS)


def test_a_missing_filipino_answer_is_reported(content):
    problems = problems_after(content, "grooming-what-it-is", lambda d: d["answers"]["teen"].pop("fil"))
    assert any("answers.teen" in p and "missing the 'fil' text" in p for p in problems)


def test_a_missing_filipino_message_is_reported(content):
    messages = content / "messages.yml"
    data = yaml.safe_load(messages.read_text())
    data["fallback_rephrase"].pop("fil")
    messages.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert any("fallback_rephrase" in p and "missing the 'fil' text" in p for p in check(content)[1])


def test_a_missing_filipino_crisis_text_is_reported(content):
    crisis = content / "crisis.yml"
    data = yaml.safe_load(crisis.read_text())
    data["acknowledgement"]["self-harm"].pop("fil")
    crisis.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert any("self-harm" in p and "'fil'" in p for p in check(content)[1])


def test_at_least_two_fifths_of_all_training_examples_are_filipino_or_taglish(root):
    # Topic examples by their language key; other intents' Filipino ones live in data/nlu/fil/.
    catalog = load(root / "data/content")
    counts = {lang: sum(len(t.examples[lang]) for t in catalog.topics.values()) for lang in ("en", "fil")}
    for path in (root / "data/nlu").rglob("*.yml"):
        if path.name == "faq.yml":
            continue
        data = yaml.safe_load(path.read_text())
        n = sum(1 for e in data["nlu"] for line in e["examples"].splitlines() if line.startswith("- "))
        counts["fil" if path.parent.name == "fil" else "en"] += n
    assert counts["fil"] / (counts["en"] + counts["fil"]) >= 0.4, counts
