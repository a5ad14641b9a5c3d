"""Fixes to Rasa 3.6 itself, which is in maintenance and will not ship them. Applied
once, when the Rasa server loads our REST channel (bot/channels/rest.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

from bot.stores.tracker_store import note_failed_action

_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}


@cache
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, not on every turn
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server's reply, with one validator made once.

    Rasa calls jsonschema.validate on every reply, which first validates Rasa's own schema
    against the JSON Schema metaschema: about 30 ms per custom action with jsonschema
    4.17 on our machine, more than the rest of the turn (RasaHQ/rasa#11717 reports the
    slowdown). The checks are the same; this takes about 1.5 ms.
    """
    error = best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format see {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def _resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's lookup of an event class by name, remembered. Rasa walks every Event subclass
    for each event it reads back from the store: a few milliseconds per turn."""
    found = _event_classes.get(type_name)
    if found is None:
        found = _resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


_run_remote_action = RemoteAction.run


async def _run_action_once_more(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """A custom action, tried a second time if the first try fails, and never half-done.

    Rasa logs a failed action and carries on: the turn is saved without its reply, so a
    client's retry of that message would find it "done". Our actions only read the tracker
    and return events, so a second try is safe: it covers a dropped connection to the action
    server (seen twice in a 45,000-turn soak). If it fails again, the turn is marked, and
    the tracker store refuses to save it: the client is told, and may send it again whole.
    """
    try:
        return await _run_remote_action(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise
    except Exception:
        try:
            return await _run_remote_action(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception:
            note_failed_action()
            raise


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction.run = _run_action_once_more
    Event.resolve_by_type = staticmethod(_resolve_event_type)

