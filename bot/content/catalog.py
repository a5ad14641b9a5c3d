"""The vetted content catalog: topics and bot messages, loaded and checked.

The source format is described in docs/content.md. Loading collects every problem
instead of stopping at the first, so a reviewer sees them all at once.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from bot.content import readability

AUDIENCES = ("parent", "teen", "educator")
LANGUAGES = ("en", "fil")
DEFAULT_LANGUAGE = "en"

# Per language: the same advice takes about a third more characters in Filipino.
MAX_ANSWER_CHARS = {"en": 800, "fil": 1100}
MAX_TITLE_CHARS = 48
MIN_EXAMPLES = 20

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Seven or more digits, allowing spaces, dots and dashes between them: a phone number.
_PHONE = re.compile(r"\+?\d(?:[\s.\-()]*\d){6,}")
# Rasa reads these as entity annotations or intent commands in training examples.
_MARKUP = re.compile(r"[\[\]{}]")
# Kinds of help a topic can offer after its answer; bot/hotlines/need.py ranks services for each.
HELP_NEEDS = ("report", "sextortion", "distress", "crisis", "self-harm", "abuse", "advice")
_TOPIC_KEYS = {
    "help",
    "links",
    "id",
    "title",
    "default_audience",
    "answers",
    "sources",
    "reviewed_on",
    "reviewed_by",
    "examples",
}


class ContentError(Exception):
    """The content failed its checks; `problems` lists each one."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"publisher": self.publisher, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class Topic:
    id: str
    title: Mapping[str, str]
    default_audience: str
    answers: Mapping[str, Mapping[str, str]]
    sources: tuple[Source, ...]
    reviewed_on: dt.date
    reviewed_by: str | None
    examples: Mapping[str, tuple[str, ...]]
    help: str | None = None  # the need to offer hotlines for after the answer, if any
    links: tuple[dict[str, str], ...] = ()  # pages the bot itself serves, e.g. its privacy notice

    def audience_for(self, audience: str | None) -> str:
        """The audience whose answer is given: the asked one if the topic has it."""
        return audience if audience in self.answers else self.default_audience

    def answer(self, audience: str | None, language: str) -> str:
        return self.answers[self.audience_for(audience)][language]

    def payload(self, audience: str | None, language: str) -> dict[str, Any]:
        """The `answer` item of the reply contract (docs/reply-contract.md)."""
        return {
            "kind": "answer",
            "content_id": self.id,
            "language": language,
            "audience": self.audience_for(audience),
            "title": self.title[language],
            "sources": [s.as_dict() for s in self.sources],
            "reviewed_on": self.reviewed_on.isoformat(),
        } | ({"links": [dict(link) for link in self.links]} if self.links else {})


CRISIS_CATEGORIES = (
    "imminent-danger", "self-harm", "sexual-abuse-disclosure", "threat", "safe-word", "check-in"
)
CRISIS_TEXTS = ("emergency", "emergency_unknown", "ask_country", "human_help", "family_offender",
                "family_offender_ph", "check_in_question", "check_in_danger", "check_in_happened",
                "check_in_information")


@dataclass(frozen=True)
class CrisisContent:
    """The reviewed replies the safety layer sends first (data/content/crisis.yml)."""

    acknowledgement: Mapping[str, Mapping[str, str]]  # category -> language -> text
    texts: Mapping[str, Mapping[str, str]]
    sources: tuple[Source, ...]
    reviewed_on: dt.date

    def acknowledge(self, category: str, language: str) -> str:
        texts = self.acknowledgement[category]
        return texts.get(language) or texts[DEFAULT_LANGUAGE]

    def text(self, key: str, language: str, **params: Any) -> str:
        texts = self.texts[key]
        return (texts.get(language) or texts[DEFAULT_LANGUAGE]).format(**params)


@dataclass(frozen=True)
class Catalog:
    topics: Mapping[str, Topic]
    messages: Mapping[str, Mapping[str, str]]
    menu: Mapping[str, tuple[str, ...]]
    countries: tuple[str, ...] = ()  # offered as buttons when the bot asks for the country
    crisis: CrisisContent | None = None

    def topic(self, content_id: str) -> Topic | None:
        return self.topics.get(content_id)

    def menu_for(self, audience: str | None) -> list[Topic]:
        ids = self.menu.get(audience or "", self.menu["default"])
        return [self.topics[i] for i in ids]

    def message(self, key: str, language: str, **params: Any) -> str:
        texts = self.messages[key]
        text = texts.get(language) or texts[DEFAULT_LANGUAGE]
        return text.format(**params) if params else text


_PUNCTUATION = str.maketrans("", "", string.punctuation + "\u2018\u2019\u201c\u201d")


def normalise_example(text: str) -> str:
    """The form two training or test sentences are compared in: case, punctuation
    and spacing don't count; words and emoji do."""
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def texts(self, where: str, value: Any, *, limit: int | dict[str, int] | None = None) -> dict[str, str]:
        """A `{language: text}` mapping with every language present."""
        if not isinstance(value, dict):
            self.fail(where, "must map each language to a text")
            return {}
        out = {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.fail(where, f"missing the '{lang}' text")
                continue
            text = text.strip()
            most = limit.get(lang) if isinstance(limit, dict) else limit
            if most is not None and len(text) > most:
                self.fail(where, f"'{lang}' text has {len(text)} characters; the limit is {most}")
            out[lang] = text
        for lang in set(value) - set(LANGUAGES):
            self.fail(where, f"unknown language '{lang}'")
        return out

    def topic(self, path: Path, raw: Any, today: dt.date) -> Topic | None:
        where = path.name
        if not isinstance(raw, dict):
            self.fail(where, "must be a mapping")
            return None
        for key in set(raw) - _TOPIC_KEYS:
            self.fail(where, f"unknown key '{key}'")
        topic_id = raw.get("id")
        if not isinstance(topic_id, str) or not _ID.match(topic_id):
            self.fail(where, "id must be lower-case words joined by '-'")
            return None
        if topic_id != path.stem:
            self.fail(where, f"id '{topic_id}' does not match the file name")

        title = self.texts(f"{where} title", raw.get("title"), limit=MAX_TITLE_CHARS)

        answers: dict[str, dict[str, str]] = {}
        raw_answers = raw.get("answers")
        if not isinstance(raw_answers, dict) or not raw_answers:
            self.fail(where, f"needs answers for one or more of {', '.join(AUDIENCES)}")
            raw_answers = {}
        for audience, texts in raw_answers.items():
            if audience not in AUDIENCES:
                self.fail(where, f"unknown audience '{audience}'")
                continue
            answers[audience] = self.texts(
                f"{where} answers.{audience}", texts, limit=MAX_ANSWER_CHARS
            )
            self.no_phone(f"{where} answers.{audience}", answers[audience])
            for lang, text in answers[audience].items():
                if lang not in readability.LANGUAGES:  # Flesch-Kincaid is for English
                    continue
                level = readability.grade(text)
                if level > readability.MAX_GRADE[audience]:
                    self.fail(
                        f"{where} answers.{audience}",
                        f"'{lang}' reads at grade {level}; {audience} answers must be at most "
                        f"grade {readability.MAX_GRADE[audience]:g} (Flesch-Kincaid)",
                    )

        default = raw.get("default_audience")
        if default not in answers:
            self.fail(where, "default_audience must name an audience that has an answer")

        sources = self.sources(where, raw.get("sources"))

        reviewed_on = raw.get("reviewed_on")
        if not isinstance(reviewed_on, dt.date):
            self.fail(where, "reviewed_on must be a date (YYYY-MM-DD)")
            reviewed_on = dt.date.min
        elif reviewed_on > today:
            self.fail(where, f"reviewed_on {reviewed_on} is in the future")

        examples: dict[str, tuple[str, ...]] = {}
        raw_examples = raw.get("examples") if isinstance(raw.get("examples"), dict) else {}
        for lang in LANGUAGES:
            items = [str(e).strip() for e in raw_examples.get(lang) or [] if str(e).strip()]
            if len(items) < MIN_EXAMPLES:
                self.fail(where, f"has {len(items)} '{lang}' examples; at least {MIN_EXAMPLES} needed")
            seen: set[str] = set()
            for item in items:
                if _MARKUP.search(item) or item.startswith("/"):
                    self.fail(where, f"example '{item}' has Rasa markup ([, ], {{, }} or a leading /)")
                key = normalise_example(item)
                if key in seen:
                    self.fail(where, f"repeats the example '{item}'")
                seen.add(key)
            examples[lang] = tuple(items)

        links = []
        for link in raw.get("links") or []:
            ok = isinstance(link, dict) and link.get("title") and str(link.get("path", "")).startswith("/")
            if not ok:
                self.fail(where, "links need a title and a path on this server, like /privacy")
                continue
            links.append({"title": str(link["title"]), "path": str(link["path"])})
        help_need = raw.get("help")
        if help_need is not None and help_need not in HELP_NEEDS:
            self.fail(where, f"help must be one of {', '.join(HELP_NEEDS)}")

        return Topic(
            id=topic_id,
            title=title,
            default_audience=str(default),
            answers=answers,
            sources=sources,
            reviewed_on=reviewed_on,
            reviewed_by=raw.get("reviewed_by"),
            examples=examples,
            help=help_need,
            links=tuple(links),
        )

    def messages(self, path: Path, raw: Any) -> dict[str, dict[str, str]]:
        if not isinstance(raw, dict):
            self.fail(path.name, "must map message keys to texts")
            return {}
        out = {}
        for key, texts in raw.items():
            out[key] = self.texts(f"{path.name} {key}", texts)
            names = {lang: _placeholders(t) for lang, t in out[key].items()}
            if len(set(map(frozenset, names.values()))) > 1:
                self.fail(f"{path.name} {key}", "languages use different {placeholders}")
        return out

    def menu(self, path: Path, raw: Any, topics: Mapping[str, Topic]) -> dict[str, tuple[str, ...]]:
        raw = raw.get("topics") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or "default" not in raw:
            self.fail(path.name, "topics must map 'default' and audiences to lists of topic ids")
            return {"default": ()}
        out = {}
        for key, ids in raw.items():
            if key != "default" and key not in AUDIENCES:
                self.fail(path.name, f"unknown audience '{key}'")
            if not isinstance(ids, list) or not ids:
                self.fail(path.name, f"'{key}' must list topic ids")
                ids = []
            for content_id in ids:
                if content_id not in topics:
                    self.fail(path.name, f"'{key}' names unknown topic '{content_id}'")
            out[key] = tuple(i for i in ids if i in topics)
        return out

    def sources(self, where: str, raw_sources: Any) -> tuple[Source, ...]:
        if not isinstance(raw_sources, list) or not raw_sources:
            self.fail(where, "needs at least one source")
            return ()
        sources = []
        for i, src in enumerate(raw_sources, 1):
            swhere = f"{where} source {i}"
            if not isinstance(src, dict):
                self.fail(swhere, "must be a mapping")
                continue
            missing = [k for k in ("publisher", "title", "url") if not src.get(k)]
            if missing:
                self.fail(swhere, f"missing {', '.join(missing)}")
                continue
            url = urlparse(str(src["url"]))
            if url.scheme != "https" or not url.netloc:
                self.fail(swhere, f"url must be https: {src['url']}")
            sources.append(Source(str(src["publisher"]), str(src["title"]), str(src["url"])))
        return tuple(sources)

    def no_phone(self, where: str, texts: Mapping[str, str]) -> None:
        for lang, text in texts.items():
            if _PHONE.search(text):
                self.fail(f"{where}.{lang}", "contains a phone number; numbers belong in data/hotlines/")

    def crisis(self, path: Path, raw: Any, today: dt.date) -> CrisisContent | None:
        where = path.name
        if not isinstance(raw, dict):
            self.fail(where, "must be a mapping")
            return None
        acknowledgement = {}
        for category in CRISIS_CATEGORIES:
            raw_texts = (raw.get("acknowledgement") or {}).get(category)
            texts = self.texts(f"{where} acknowledgement.{category}", raw_texts)
            self.no_phone(f"{where} acknowledgement.{category}", texts)
            acknowledgement[category] = texts
        texts = {}
        for key in CRISIS_TEXTS:
            texts[key] = self.texts(f"{where} {key}", raw.get(key))
            self.no_phone(f"{where} {key}", texts[key])
        reviewed_on = raw.get("reviewed_on")
        if not isinstance(reviewed_on, dt.date) or reviewed_on > today:
            self.fail(where, "reviewed_on must be a date, not in the future")
            reviewed_on = dt.date.min
        return CrisisContent(acknowledgement, texts, self.sources(where, raw.get("sources")), reviewed_on)

    def countries(self, path: Path, raw: Any) -> tuple[str, ...]:
        codes = raw.get("countries") if isinstance(raw, dict) else None
        if not isinstance(codes, list) or not codes:
            self.fail(path.name, "countries must list ISO codes to offer as buttons")
            return ()
        for code in codes:
            if not (isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code)):
                self.fail(path.name, f"country {code!r} is not an ISO 3166-1 alpha-2 code")
        return tuple(codes)

    def across_topics(self, topics: Iterable[Topic]) -> None:
        owner: dict[str, str] = {}
        for topic in topics:
            for items in topic.examples.values():
                for item in items:
                    key = normalise_example(item)
                    if key in owner and owner[key] != topic.id:
                        self.fail(topic.id, f"example '{item}' is also in {owner[key]}")
                    owner.setdefault(key, topic.id)


def _read_yaml(path: Path, checker: _Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        checker.fail(path.name, f"cannot be read: {exc.strerror}")
    except yaml.YAMLError as exc:
        checker.fail(path.name, f"is not valid YAML: {exc}")
    return None


def check(content_dir: Path, today: dt.date | None = None) -> tuple[Catalog, list[str]]:
    """Load the catalog and return it with every problem found."""
    today = today or dt.date.today()
    checker = _Checker()
    topics: dict[str, Topic] = {}
    topic_dir = content_dir / "topics"
    paths = sorted(topic_dir.glob("*.yml"))
    if not paths:
        checker.fail(str(topic_dir), "has no topics")
    for path in paths:
        topic = checker.topic(path, _read_yaml(path, checker), today)
        if topic is None:
            continue
        if topic.id in topics:
            checker.fail(path.name, f"duplicate id '{topic.id}'")
        topics[topic.id] = topic
    checker.across_topics(topics.values())
    messages_path = content_dir / "messages.yml"
    messages = checker.messages(messages_path, _read_yaml(messages_path, checker))
    menu_path = content_dir / "menu.yml"
    raw_menu = _read_yaml(menu_path, checker)
    menu = checker.menu(menu_path, raw_menu, topics)
    countries = checker.countries(menu_path, raw_menu)
    crisis_path = content_dir / "crisis.yml"
    crisis = checker.crisis(crisis_path, _read_yaml(crisis_path, checker), today)
    catalog = Catalog(topics=topics, messages=messages, menu=menu, countries=countries, crisis=crisis)
    return catalog, checker.problems


def load(content_dir: Path) -> Catalog:
    """Load the catalog, raising ContentError if it fails any check."""
    catalog, problems = check(content_dir)
    if problems:
        raise ContentError(problems)
    return catalog


@cache
def cached(content_dir: Path) -> Catalog:
    """The catalog, loaded once per process (actions use this)."""
    return load(content_dir)
