"""Record the trackers the action tests run on, from a real bot.

    make record-trackers

Each scenario is sent through the REST channel of a freshly started bot (with the
HTTP API on, behind a throwaway token). The tracker is then cut back to the moment
before the scenario's action ran, which is exactly what the action server receives.
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot import launcher, settings, training
from bot.channels.signing import sign

HERE = Path(__file__).parent / "trackers"

# name -> (messages as (text, metadata), the action whose input is recorded)
SCENARIOS: dict[str, tuple[list[tuple[str, dict]], str]] = {
    "greet_first": ([("hi", {})], "action_greet"),
    "greet_again": ([("hi", {}), ("hello", {})], "action_greet"),
    "greet_known_audience": ([("hi", {"audience": "teen"})], "action_greet"),
    "answer_parent_inferred": (
        [("my 11 year old son's online friend sends him game credits and says to keep it secret", {})],
        "action_answer",
    ),
    "answer_teen_metadata": ([("what is grooming", {"audience": "teen"})], "action_answer"),
    "answer_choice_beats_metadata": (
        [
            ('/choose_audience{"audience":"educator"}', {"audience": "teen"}),
            ("what is grooming", {"audience": "teen"}),
        ],
        "action_answer",
    ),
    "answer_remembered_audience": (
        [("im a mom", {}), ("how do i make my kid's instagram private", {})],
        "action_answer",
    ),
    "answer_button": ([('/faq{"content_id":"image-removal"}', {})], "action_answer"),
    "answer_unknown_button": ([('/faq{"content_id":"no-such-topic"}', {})], "action_answer"),
    "answer_unsure": ([("my daughter online", {})], "action_answer"),
    "fallback": ([("i have a question", {})], "action_fallback"),
    "out_of_scope": ([("what's the weather in manila today", {})], "action_out_of_scope"),
    "choose_audience_button": ([('/choose_audience{"audience":"parent"}', {})], "action_choose_audience"),
    "choose_audience_text": ([("i'm a teacher", {})], "action_choose_audience"),
    "choose_audience_injected": ([('/choose_audience{"audience":"admin"}', {})], "action_choose_audience"),
    "show_topics": ([("show me the topics", {})], "action_show_topics"),
    "hotlines_ask_country": ([("who can i call", {})], "action_hotlines"),
    "hotlines_after_asking": ([("who can i call", {}), ("nasa cebu po ako", {})], "action_hotlines"),
    "hotlines_asked_already": ([("who can i call", {}), ("i need a hotline", {})], "action_hotlines"),
    "hotlines_metadata_country": ([("helpline", {"country": "GB", "audience": "teen"})], "action_hotlines"),
    "hotlines_named_service": ([("what's the bantay bata number", {})], "action_hotlines"),
    "hotlines_cross_border": (
        [("what number do i call, im in the philippines and he is in the US", {})],
        "action_hotlines",
    ),
    "hotlines_after_topic": (
        [
            ("someone is threatening to share my nudes unless i pay", {"country": "US"}),
            ('/ask_hotline{"content_id":"sextortion-what-to-do"}', {"country": "US"}),
        ],
        "action_hotlines",
    ),
    "hotlines_show_more": (
        [('/ask_hotline{"more":"all","need":"advice"}', {"country": "PH"})], "action_hotlines"
    ),
    "hotlines_no_list_country": ([("helpline in argentina", {})], "action_hotlines"),
    "answer_with_hotlines": (
        [("what should i do about child abuse images i found, who do i contact", {"country": "GB"})],
        "action_answer",
    ),
    "crisis_family_teen_ph": (
        [("my stepdad touches me at night and says its our secret", {"country": "PH", "audience": "teen"})],
        "action_crisis",
    ),
    "crisis_self_harm_no_country": ([("i want to kill myself", {})], "action_crisis"),
    "crisis_safe_word": ([("how do i block someone", {"country": "GB"}), ("HELP", {"country": "GB"})],
                         "action_crisis"),
    "crisis_threat_then_answer": (
        [("someone is threatening to share my nudes unless i pay him", {"country": "US"})], "action_crisis"
    ),
    # The forget action deletes what a recording would read, so its last message is only
    # parsed (HTTP API), which leaves the tracker as the action would receive it.
    "forget": ([("hello", {}), ("please delete this chat", {"parse_only": True})], "action_forget"),
    "answer_filipino_detected": ([("ano po ang dapat gawin kapag may nanghihingi ng pics sa anak ko", {})],
                                 "action_answer"),
    "answer_filipino_one_english_word": (
        [("may nag-message po sa anak ko na stranger, humihingi ng pics", {}),
         ("how do I save the chat as evidence?", {})],
        "action_answer",
    ),
    "answer_metadata_language": ([("what is grooming", {"language": "fil"})], "action_answer"),
    "answer_choice_beats_metadata_language": (
        [("English please", {"language": "fil"}), ("ano ang grooming", {"language": "fil"})], "action_answer"
    ),
    "choose_language_named": ([("Tagalog po", {})], "action_choose_language"),
    "choose_language_button": ([('/choose_language{"language":"fil"}', {})], "action_choose_language"),
    "choose_language_unnamed": ([("language", {})], "action_choose_language"),
    "crisis_filipino": ([("ayoko na mabuhay, gusto ko na mamatay", {"country": "PH"})], "action_crisis"),
    "thanks": ([("thank you so much", {})], "action_small_talk"),
    # Issue 18: a Filipino parent about "anak ko"; a minor's sextortion; a teen who can't call.
    "hotlines_filipino_parent": (
        [("sino po pwede tawagan para sa anak ko? nasa Pilipinas kami", {})], "action_hotlines"
    ),
    "crisis_parent_minor_ph": (
        [("may nagbabanta na ikakalat ang hubad na pics ng anak kong 15 kung hindi kami magbabayad",
          {"country": "PH"})],
        "action_crisis",
    ),
    "crisis_cannot_call": (
        [("someone is threatening to post my nudes unless i pay, i can't call, they'll hear me",
          {"country": "GB", "audience": "teen"})],
        "action_crisis",
    ),
    "goodbye": ([("ok bye", {})], "action_small_talk"),
}


def _json(url: str, body: dict | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def record(
    config: settings.Settings, token: str, domain: Domain, only: list[str] | None = None
) -> list[str]:
    problems = []
    for name, (messages, action) in SCENARIOS.items():
        if only and name not in only:
            continue
        sender = f"record-{uuid.uuid4().hex}"
        parse_only = False
        for text, metadata in messages:
            if metadata.get("parse_only"):
                parse_only = True
                url = f"{config.rasa_url}/conversations/{sender}/messages?token={token}"
                _json(url, {"text": text, "sender": "user"})
                continue
            text = sign(sender, text) if text.startswith("/") else text  # as the bot's own button
            _json(launcher.rest_url(config), {"sender": sender, "message": text, "metadata": metadata})
        state = _json(f"{config.rasa_url}/conversations/{sender}/tracker?include_events=ALL&token={token}")
        events = state["events"]
        runs = [i for i, e in enumerate(events) if e.get("event") == "action" and e.get("name") == action]
        if parse_only:
            runs = [len(events)]
        if not runs:
            problems.append(f"{name}: {action} never ran")
            continue
        # The store keeps no user text (bot/stores); the action server gets it live,
        # so put each message's words back into its user event.
        sent = iter(text for text, _ in messages)
        for event in events:
            if event.get("event") == "user":
                words = next(sent, "")
                event["text"] = words
                event.setdefault("parse_data", {})["text"] = words
        tracker = DialogueStateTracker.from_dict(sender, events[: runs[-1]], domain.slots)
        current = tracker.current_state(EventVerbosity.ALL)
        current["sender_id"] = name
        (HERE / f"{name}.json").write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
        print(f"recorded {name} ({action})")
    return problems


def main(only: list[str] | None = None) -> int:
    """Record every scenario, or only those named on the command line."""
    token = secrets.token_hex(16)
    config = replace(settings.load(), rasa_api_token=token)
    model = training.train_if_needed(config)
    domain = Domain.load(config.root / "domain.yml")
    HERE.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".log") as log, launcher.Bot(config, model, log=log):
        problems = record(config, token, domain, only)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
