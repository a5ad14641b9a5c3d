"""One turn, exactly once, or an explicit failure.

Under the conversation's lock, a message whose id the stored conversation already holds
gets the reply it got then, and runs nothing again: a client whose request timed out, or
whose replica died after saving the turn, sends the same message with the same
`message_id`, and the conversation has that turn once. Any other message is handled as
Rasa's Agent.handle_message would (the same lock, the same processor).

A store that fails makes the turn fail. Rasa wraps every tracker store in a
FailSafeTrackerStore, which on an error carries on with an empty conversation in memory:
the reply may be wrong, the turn is not saved, and the user's words stay in memory. Here
the error reaches the guard, which tells the user (bot/channels/rest.py).
"""

from __future__ import annotations

from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import work


class NotReady(Exception):
    """The server has no model loaded yet."""


async def handle(agent: Agent, message: UserMessage, replayable: bool) -> list[dict[str, Any]]:
    """The reply to `message`: replayed if the conversation has it already (only when
    the client chose the message id), otherwise from a new turn."""
    if not agent.is_ready() or agent.processor is None:
        raise NotReady
    _without_failsafe(agent)
    async with agent.lock_store.lock(message.sender_id):
        if replayable:
            store = agent.tracker_store
            stored = await store.retrieve(message.sender_id)
            earlier = await replies_to(stored, message.message_id)
            if earlier is not None:
                return earlier
            if hasattr(store, "read_again"):  # one read of the store per turn, not two
                store.read_again(stored)
        await agent.processor.handle_message(message)
    work.add(work.TURNS)
    return message.output_channel.messages


async def replies_to(tracker: DialogueStateTracker | None, message_id: str) -> list[dict[str, Any]] | None:
    """What the bot said after the user message `message_id`, as the REST channel sent
    it; None if the conversation does not hold that message."""
    if tracker is None:
        return None
    events = list(tracker.events)
    start = next((i for i, e in enumerate(events)
                  if isinstance(e, UserUttered) and e.message_id == message_id), None)
    if start is None:
        return None
    collector = CollectingOutputChannel()
    for event in events[start + 1:]:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            await collector.send_response(tracker.sender_id, event.message())
    return collector.messages


def _without_failsafe(agent: Agent) -> None:
    """Let store errors through (module docstring). Idempotent; a model reload makes a
    new processor, which this unwraps again on its first turn."""
    store = agent.tracker_store
    if isinstance(store, FailSafeTrackerStore):
        agent.tracker_store = store._tracker_store
    if isinstance(agent.processor.tracker_store, FailSafeTrackerStore):
        agent.processor.tracker_store = agent.processor.tracker_store._tracker_store
