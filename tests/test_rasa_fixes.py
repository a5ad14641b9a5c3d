"""Our fixes to Rasa's hot path do what Rasa did, faster, and a failed custom action is
tried once more and otherwise leaves its turn unsaved."""

from __future__ import annotations

import asyncio

import jsonschema
import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core import events
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


@pytest.mark.parametrize("reply", [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "nonsense"}], "responses": []},
    {"events": "not a list"},
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
            result = await rasa_fixes._run_action_once_more(action)
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
