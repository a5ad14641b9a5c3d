"""A tracker store that keeps only what the dialogue needs, for as long as it needs it.

It wraps Rasa's own SQL (SQLite, PostgreSQL) or Redis tracker store and:
- removes what the user typed from every user event before anything is persisted;
  intents, button entities, slots and actions stay, because the dialogue needs them;
- deletes a conversation at once when its last turn ran `action_forget`;
- purges conversations idle for longer than the retention time (`KALASAG_RETENTION_HOURS`,
  default 24), from the running bot itself: `sweep` runs every few minutes, started by
  the REST channel (bot/channels/rest.py), traffic or not;
- keeps sessions short (bot/stores/sessions.py), so a turn reads a bounded history.

Configured in endpoints.yml with `url: ${TRACKER_STORE_URL}`, e.g. sqlite:///kalasag.db,
postgresql://user@host/db or redis://host:6379/0 (bot/settings.py has the defaults).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any
from urllib.parse import unquote, urlparse

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings, work
from bot.stores.sessions import capped, current_session

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget"
# Metadata the channels send that says nothing about who the user is.
KEPT_METADATA = ("language", "country", "audience", "channel")
PURGE_EVERY_SECONDS = 300
CONNECT_TIMEOUT_SECONDS = 3
# A conversation this turn has read already (bot/channels/turns.py), for its next read.
_already_read: ContextVar[DialogueStateTracker | None] = ContextVar("already_read", default=None)
# Set when one of this turn's custom actions failed (bot/rasa_fixes.py).
_failed_action: ContextVar[bool] = ContextVar("failed_action", default=False)


class IncompleteTurn(Exception):
    """A turn whose custom action failed: not saved, so it can be sent again whole."""


def note_failed_action() -> None:
    _failed_action.set(True)


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


class _SQLStore(SQLTrackerStore):
    """Rasa's SQL store, made safe for several replicas and cheap for long conversations."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        url = self.engine.url
        self.engine.dispose()
        if url.get_backend_name() == "sqlite":
            # One pooled connection, not a new one (and a file open) for every query.
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            options = create_engine_kwargs(url)
            # An unreachable server must fail a turn within seconds, not hang the event loop
            # for the system's TCP timeout; and a pooled connection is checked first, or the
            # first turn after a database restart fails.
            options.setdefault("connect_args", {})["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
            self.engine = sa.create_engine(url, pool_pre_ping=True, **options)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        # A turn reads one conversation's latest session: an index that finds it directly.
        # Replicas starting together race to create it; the loser finds it made.
        try:
            with self.engine.begin() as connection:
                connection.execute(sa.text(
                    "CREATE INDEX IF NOT EXISTS events_sender_id_id ON events (sender_id, id)"
                ))
        except sa.exc.DBAPIError as error:
            logger.info("index already being made by another server (%s)", type(error).__name__)

    # The two queries of every turn, in plain SQL: Rasa's ORM queries spend more time
    # building themselves than the database spends answering. The latest session is
    # found by id, not by timestamp as Rasa does, since replicas' clocks may differ a
    # little; ids are in the order turns were saved, under the conversation's lock.
    _SESSION = ("id >= COALESCE((SELECT MAX(id) FROM events WHERE sender_id = :sender"
                f" AND type_name = '{SessionStarted.type_name}'), 0)")
    _LATEST = sa.text(f"SELECT data FROM events WHERE sender_id = :sender AND {_SESSION} ORDER BY id")
    _ALL = sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")
    _COUNT = sa.text(f"SELECT COUNT(*) FROM events WHERE sender_id = :sender AND {_SESSION}")

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.engine.connect() as connection:
            query = self._ALL if fetch_events_from_all_sessions else self._LATEST
            events = [json.loads(data) for (data,) in connection.execute(query, {"sender": sender_id})]
        if not events or not self.domain:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the events the store does not have yet, in one transaction."""
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            stored = connection.execute(self._COUNT, {"sender": tracker.sender_id}).scalar()
            rows = [_row(tracker.sender_id, e) for e in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(self.SQLEvent.__table__.insert(), rows)


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """The columns Rasa's SQL store writes for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    # WAL: readers don't wait for the writer. NORMAL: no fsync per commit; a power cut may
    # lose the last turns, never corrupt the file.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _inner_store(url: str, domain: Domain | None, event_broker: EventBroker | None, ttl: int) -> TrackerStore:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        return _SQLStore(domain=domain, dialect="sqlite", db=parsed.path[1:] or "kalasag.db",
                         event_broker=event_broker)
    if parsed.scheme.startswith("postgres"):
        return _SQLStore(
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
        # `host` is the `url` of endpoints.yml (Rasa passes it so); settings when used directly.
        url = host or config.tracker_store_url
        self.inner = _inner_store(url, domain, event_broker, self.retention_seconds)
        super().__init__(domain, event_broker)

    @property
    def domain(self) -> Domain:
        return self.inner.domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        if hasattr(self, "inner"):
            self.inner.domain = domain

    async def save(self, tracker: DialogueStateTracker) -> None:
        if _failed_action.get():
            raise IncompleteTurn("a custom action failed in this turn")
        if asked_to_forget(tracker):
            await self.delete(tracker.sender_id)
            return
        tracker = redact(capped(tracker))
        if isinstance(self.inner, RedisTrackerStore):
            # One value per conversation: write the latest session only, instead of Rasa's
            # read-merge-write of every session (quadratic in the conversation's length).
            session = DialogueStateTracker.from_events(
                tracker.sender_id, current_session(list(tracker.events)), slots=tracker.slots.values()
            )
            self.inner.red.set(self.inner.key_prefix + tracker.sender_id,
                               self.inner.serialise_tracker(session), ex=self.retention_seconds)
        else:
            await self.inner.save(tracker)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = _already_read.get()
        if tracker is not None and tracker.sender_id == sender_id:
            _already_read.set(None)
            return tracker
        tracker = await self.inner.retrieve(sender_id)
        if tracker is not None:
            work.add(work.EVENTS_READ, len(tracker.events))
        return tracker

    @staticmethod
    def read_again(tracker: DialogueStateTracker | None) -> None:
        """Serve the next read of this conversation, in this turn, from `tracker`, which
        the turn has just read under the conversation's lock, instead of the store."""
        _already_read.set(tracker)

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
