"""Fixes to Rasa 3.6 itself, which is in maintenance and will not ship them. Applied
once, when the Rasa server loads our REST channel (bot/channels/rest.py)."""

from __future__ import annotations

import asyncio
import copy
import weakref
from functools import cache
from typing import Any

import aiohttp
from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.engine.constants import PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot import work
from bot.stores.tracker_store import note_failed_action

_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}


@cache
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, not on every turn
    return cls(schema)


@cache
def _split_checks() -> tuple[Any, dict[str, Any]]:
    """Rasa's schema split where its `oneOf` would choose: the reply with its events' common
    fields, and one validator per event name. Every branch of the `oneOf` fixes the event
    name with a `const` (a test checks it), so the branch for the event's own name is the
    only one that can match, and checking it alone gives the same verdict as trying all
    twenty-three, at a tenth of the cost."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    branches = schema["properties"]["events"]["items"].pop("oneOf")
    cls = validators.validator_for(schema)
    return cls(schema), {branch["properties"]["event"]["const"]: cls(branch) for branch in branches}


def _is_valid_action_result(result: Any) -> bool:
    reply, events = _split_checks()
    if not reply.is_valid(result):
        return False
    for event in result.get("events") or ():
        branch = events.get(event["event"])
        if branch is None or not branch.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server's reply, with one validator made once.

    Rasa calls jsonschema.validate on every reply, which first validates Rasa's own schema
    against the JSON Schema metaschema: about 30 ms per custom action with jsonschema
    4.17 on our machine, more than the rest of the turn (RasaHQ/rasa#11717 reports the
    slowdown). The checks are the same; a valid reply passes in a tenth of a millisecond,
    and any other gets jsonschema's own error.
    """
    if _is_valid_action_result(result):
        return True
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


async def _run_action_once_more(self: RemoteAction, output_channel: Any, nlg: Any,
                                tracker: DialogueStateTracker, domain: Domain) -> Any:
    """A custom action, tried a second time if the first try fails, and never half-done.

    Rasa logs a failed action and carries on: the turn is saved without its reply, so a
    client's retry of that message would find it "done". Our actions only read the tracker
    and return events, so a second try is safe: it covers a dropped connection to the action
    server (seen twice in a 45,000-turn soak). If it fails again, the turn is marked, and
    the tracker store refuses to save it: the client is told, and may send it again whole.
    """
    work.add(work.EVENTS_SENT_TO_ACTIONS, len(tracker.events))
    args = (output_channel, nlg, tracker, domain)
    try:
        return await _run_remote_action(self, *args)
    except ActionExecutionRejection:
        raise
    except Exception:
        try:
            return await _run_remote_action(self, *args)
        except ActionExecutionRejection:
            raise
        except Exception:
            note_failed_action()
            raise


_dask_run = DaskGraphRunner.run


def _plan(schema: GraphSchema, targets: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The nodes the targets need, each after the nodes it needs, with those nodes' names."""
    plan: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in schema.nodes:  # not a node: an input
            return
        seen.add(name)
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            visit(need)
        plan.append((name, needs))

    for target in targets:
        visit(target)
    return plan


def _run_graph(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
               targets: list[str] | None = None) -> dict[str, Any]:
    """Rasa's run of the model's graph, node after node, as dask's synchronous scheduler
    runs it, without dask: Rasa rebuilds the graph and dask orders it on every call, a
    tenth of a turn's CPU for the dozen nodes of each of a turn's three runs."""
    run_targets = tuple(targets or self._graph_schema.target_names)
    plans = self.__dict__.setdefault("_plans", {})
    plan = plans.get(run_targets)
    if plan is None:
        plan = plans[run_targets] = _plan(self._graph_schema, run_targets)
    tracker = (inputs or {}).get(PLACEHOLDER_TRACKER)
    if tracker is not None:
        work.add(work.EVENTS_PREDICTED_ON, len(tracker.events))
    results: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in plan):
            raise GraphRunError(f"Input value '{value}' clashes with a node name.")
        results[name] = (name, value)  # as dask holds an input; it takes a node's place
    try:
        for name, needs in plan:
            if name not in results:
                # A need that nothing provides is passed by name, as dask passes it.
                results[name] = self._instantiated_nodes[name](*(results.get(n, n) for n in needs))
        return dict(results[target] for target in run_targets)
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


@cache
def _empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def _domain_is_empty(self: Domain) -> bool:
    """Rasa's check, asked every turn, with the empty domain built once instead of each time."""
    return self.as_dict() == _empty_domain()


# One pool of connections per event loop (a Sanic worker has one).
_connectors: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.TCPConnector] = (
    weakref.WeakKeyDictionary())
# Below the action server's (Sanic's) 5 s, so that the client, not the server, closes an
# idle connection and a request never goes out on one being closed.
KEEPALIVE_SECONDS = 2.0


def _pooled_session(self: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's session for a call to the action server, on connections kept open between
    calls: Rasa opens a new pool, a new name lookup and a new connection for every call."""
    loop = asyncio.get_running_loop()
    connector = _connectors.get(loop)
    if connector is None or connector.closed:
        connector = _connectors[loop] = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS)
    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
    return aiohttp.ClientSession(headers=self.headers, auth=auth, connector=connector, connector_owner=False,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))


async def close_connections() -> None:
    connector = _connectors.pop(asyncio.get_running_loop(), None)
    if connector is not None:
        await connector.close()


def apply() -> None:
    Domain.is_empty = _domain_is_empty
    EndpointConfig.session = _pooled_session
    DaskGraphRunner.run = _run_graph
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction.run = _run_action_once_more
    Event.resolve_by_type = staticmethod(_resolve_event_type)

