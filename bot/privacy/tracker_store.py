"""A tracker store that keeps only what the dialogue needs, for as long as it needs it.

It wraps Rasa's own SQL (SQLite, PostgreSQL) or Redis tracker store and:
- removes what the user typed from every user event before anything is persisted;
  intents, button entities, slots and actions stay, because the dialogue needs them;
- deletes a conversation at once when its last turn ran `action_forget`;
- purges conversations idle for longer than the retention time (`KALASAG_RETENTION_HOURS`,
  default 24), from the running bot itself: `sweep` runs every few minutes, started by
  the REST channel (bot/channels/rest.py), traffic or not.

Configured in endpoints.yml; where it stores comes from `TRACKER_STORE_URL`
(bot/settings.py), e.g. sqlite:///kalasag.db, postgresql://user@host/db, redis://host:6379/0.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlparse

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget"
# Metadata the channels send that says nothing about who the user is.
KEPT_METADATA = ("language", "country", "audience", "channel")
PURGE_EVERY_SECONDS = 300


def redact_event(event: Event) -> Event:
    """A user event without the user's words."""
    if not isinstance(event, UserUttered):
        return event
    parse_data = {k: v for k, v in (event.parse_data or {}).items() if k not in ("text", "metadata")}
    metadata = {k: v for k, v in (event.metadata or {}).items() if k in KEPT_METADATA}
    return UserUttered(
        text="",
        intent=event.intent,
        entities=event.entities,
        parse_data=parse_data,
        timestamp=event.timestamp,
        input_channel=event.input_channel,
        message_id=event.message_id,
        metadata=metadata,
    )


def redact(tracker: DialogueStateTracker) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        tracker.sender_id,
        [redact_event(e) for e in tracker.events],
        slots=list(tracker.slots.values()),
        max_event_history=tracker._max_event_history,
    )


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    """Whether the turn since the user's last message ran the forget action."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return True
        if isinstance(event, UserUttered):
            return False
    return False


def _inner_store(url: str, domain: Domain | None, event_broker: EventBroker | None, ttl: int) -> TrackerStore:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        return SQLTrackerStore(domain=domain, dialect="sqlite", db=parsed.path[1:] or "kalasag.db",
                               event_broker=event_broker)
    if parsed.scheme.startswith("postgres"):
        return SQLTrackerStore(
            domain=domain,
            dialect="postgresql",
            host=parsed.hostname or "localhost",
            port=parsed.port or 5432,
            db=parsed.path.lstrip("/") or "kalasag",
            username=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            event_broker=event_broker,
        )
    if parsed.scheme == "redis":
        return RedisTrackerStore(
            domain=domain,
            host=parsed.hostname or "localhost",
            port=parsed.port or 6379,
            db=int(parsed.path.lstrip("/") or 0),
            password=unquote(parsed.password) if parsed.password else None,
            record_exp=ttl,  # Redis expires idle conversations itself
            key_prefix="kalasag",
            event_broker=event_broker,
        )
    raise ValueError(f"TRACKER_STORE_URL must be sqlite://, postgresql:// or redis://, not {url!r}")


class PrivateTrackerStore(TrackerStore):
    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        config = settings.load()
        self.retention_seconds = int(config.retention_hours * 3600)
        self.inner = _inner_store(config.tracker_store_url, domain, event_broker, self.retention_seconds)
        super().__init__(domain, event_broker)

    @property
    def domain(self) -> Domain:
        return self.inner.domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        if hasattr(self, "inner"):
            self.inner.domain = domain

    async def save(self, tracker: DialogueStateTracker) -> None:
        if asked_to_forget(tracker):
            await self.delete(tracker.sender_id)
        else:
            await self.inner.save(redact(tracker))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self.inner.retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        return await self.inner.retrieve_full_tracker(sender_id)

    async def keys(self) -> Iterable[str]:
        return await self.inner.keys()

    async def delete(self, sender_id: str) -> None:
        """Remove every stored event of one conversation."""
        if isinstance(self.inner, SQLTrackerStore):
            with self.inner.session_scope() as session:
                session.query(self.inner.SQLEvent).filter_by(sender_id=sender_id).delete()
                session.commit()
        elif isinstance(self.inner, RedisTrackerStore):
            self.inner.red.delete(self.inner.key_prefix + sender_id)

    async def purge_idle(self) -> int:
        """Delete conversations idle for longer than the retention time; return how many."""
        cutoff = time.time() - self.retention_seconds
        if isinstance(self.inner, SQLTrackerStore):
            import sqlalchemy as sa

            event = self.inner.SQLEvent
            with self.inner.session_scope() as session:
                idle = (
                    session.query(event.sender_id)
                    .group_by(event.sender_id)
                    .having(sa.func.max(event.timestamp) < cutoff)
                    .all()
                )
                senders = [row[0] for row in idle]
                if senders:
                    session.query(event).filter(event.sender_id.in_(senders)).delete(
                        synchronize_session=False
                    )
                    session.commit()
            if senders:
                logger.info("purged %d idle conversation(s)", len(senders))
            return len(senders)
        return 0  # Redis: every key carries the retention time as its expiry


async def sweep(agent: Callable[[], Any]) -> None:
    """Purge idle conversations for as long as the server runs, with or without traffic.
    `agent` returns the server's current Rasa agent (it is loaded after start-up)."""
    interval = min(PURGE_EVERY_SECONDS, settings.load().retention_hours * 3600)
    while True:
        store = getattr(agent(), "tracker_store", None)
        store = getattr(store, "_tracker_store", store)  # inside Rasa's FailSafeTrackerStore
        if isinstance(store, PrivateTrackerStore):
            try:
                await store.purge_idle()
            except Exception as error:  # the store is down: try again next round
                logger.error("purge failed (%s)", type(error).__name__)
        await asyncio.sleep(interval)
