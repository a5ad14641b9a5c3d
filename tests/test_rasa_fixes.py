"""Our fixes to Rasa's hot path do what Rasa did, faster, and a failed custom action is
tried once more and otherwise leaves its turn unsaved."""

from __future__ import annotations

import asyncio

import jsonschema
import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core import events
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_fixes
from bot.stores import tracker_store


def test_event_classes_resolve_as_rasa_resolves_them():
    names = {cls.type_name for cls in all_subclasses(events.Event)}
    assert {"user", "bot", "slot", "action", "session_started"} <= names
    for name in names:
        assert rasa_fixes._resolve_event_type(name) is rasa_fixes._resolve_by_type(name)
    assert rasa_fixes._resolve_event_type("nonsense", default=events.BotUttered) is events.BotUttered
    with pytest.raises(ValueError):
        rasa_fixes._resolve_event_type("nonsense")


def test_each_event_schema_is_chosen_by_the_event_name_alone():
    """What the split check relies on: Rasa's oneOf branches differ in a const event name."""
    items = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]
    names = [branch["properties"]["event"]["const"] for branch in items["oneOf"]]
    assert len(names) == len(set(names)) > 20
    assert all(set(branch) <= {"properties", "required"} for branch in items["oneOf"])


@pytest.mark.parametrize("reply", [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "nonsense"}], "responses": []},
    {"events": "not a list"},
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": 1, "value": 1}]},
    {"events": [{"event": "slot", "value": 1}]},
    {"events": [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}}]},
    {"events": [{"event": "bot", "text": "hi", "data": {}, "metadata": {}}]},
    {"events": [{"event": "followup", "name": "action_x"}, {"event": "reset_slots"}]},
    {"events": [{"event": "action", "name": 5}]},
    {"responses": [{"text": 5}]},
    {"responses": "hi"},
    {"events": [{"event": "slot", "name": "x", "value": {"nested": [1, None]}}], "extra": 1},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "now"}]},
    {"events": [{"event": 3}]},
    {"events": [{"name": "x"}]},
    {"events": [None]},
    [],
])
def test_action_replies_are_judged_as_jsonschema_judges_them(reply):
    schema = RemoteAction.action_response_format_spec()
    try:
        jsonschema.validate(reply, schema)
        valid = True
    except jsonschema.ValidationError:
        valid = False
    action = RemoteAction("action_x", EndpointConfig("http://localhost:1/webhook"))
    if valid:
        assert rasa_fixes._validate_action_result(action, reply)
    else:
        with pytest.raises(jsonschema.ValidationError):
            rasa_fixes._validate_action_result(action, reply)


def run_with(outcomes: list, monkeypatch) -> tuple[object, bool, int]:
    """Run the patched action with the original failing or answering in turn."""
    calls = []

    async def original(self, *args, **kwargs):
        calls.append(1)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(rasa_fixes, "_run_remote_action", original)

    async def turn():
        action = RemoteAction("action_x", EndpointConfig("http://localhost:1/webhook"))
        try:
            tracker = DialogueStateTracker.from_events("someone", [])
            result = await rasa_fixes._run_action_once_more(action, None, None, tracker, Domain.empty())
        except Exception as error:
            result = error
        return result, tracker_store._failed_action.get(), len(calls)

    return asyncio.run(turn())


def test_an_action_that_fails_once_is_tried_again(monkeypatch):
    assert run_with([ConnectionResetError(), ["events"]], monkeypatch) == (["events"], False, 2)


def test_an_action_that_fails_twice_marks_its_turn(monkeypatch):
    result, failed, calls = run_with([ConnectionResetError(), RuntimeError("down")], monkeypatch)
    assert isinstance(result, RuntimeError) and failed and calls == 2


def test_a_rejection_is_not_a_failure(monkeypatch):
    result, failed, calls = run_with([ActionExecutionRejection("action_x")], monkeypatch)
    assert isinstance(result, ActionExecutionRejection) and not failed and calls == 1


def test_the_graph_runs_each_needed_node_after_its_needs():
    from rasa.engine.graph import GraphSchema, SchemaNode

    from bot.nlu.intent_classifier import IntentClassifier

    def node(*needs: str) -> SchemaNode:
        return SchemaNode(needs={f"in{i}": n for i, n in enumerate(needs)}, uses=IntentClassifier,
                          constructor_name="load", fn="process", config={})

    schema = GraphSchema({"a": node("__message__"), "b": node("a"), "c": node("a", "b"),
                          "unused": node("a"), "d": node("c", "__tracker__")})
    assert rasa_fixes._plan(schema, ("d",)) == [
        ("a", ("__message__",)), ("b", ("a",)), ("c", ("a", "b")), ("d", ("c", "__tracker__"))]
    assert [name for name, _ in rasa_fixes._plan(schema, ("b", "unused"))] == ["a", "b", "unused"]


MESSAGES = [
    "hi", "what is grooming", "paano malalaman kung may nag-groom sa anak ko",
    "someone is blackmailing me with my photos", "I want to kill myself", "my uncle touches me",
    "hotline in Cebu", "what's the weather", "tagalog po", "forget me", "", "!!!!",
]


@pytest.mark.live
def test_the_graph_gives_what_dask_gives_on_the_trained_model():
    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import settings, training
    from tests.conftest import need

    model = training.model_path(settings.load())
    need(model.exists(), f"a trained model ({model.name}; run `make model`)")
    processor = Agent.load(str(model)).processor
    runner = processor.graph_runner

    async def both(text: str) -> list:
        outcomes = []
        for run in (rasa_fixes._dask_run, rasa_fixes._run_graph):
            runner.run = run.__get__(runner)
            parse = await processor.parse_message(UserMessage(text, sender_id="t"))
            tracker = DialogueStateTracker.from_events("t", [
                ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                UserUttered(text, parse_data=parse)], slots=processor.domain.slots)
            prediction = processor._predict_next_with_tracker(tracker)
            events = [{**e.as_dict(), "timestamp": None} for e in prediction.events]
            outcomes.append((parse, prediction.policy_name, prediction.max_confidence_index,
                             prediction.probabilities, events))
        return outcomes

    for text in MESSAGES:
        dask_outcome, ours = asyncio.run(both(text))
        assert ours == dask_outcome, text
