"""The one place that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Where conversations and locks live, per profile (docs/scaling.md). A variable that is
# set always wins over its profile's default.
PROFILES = {
    # One process on one machine: a SQLite file and a lock in memory.
    "embedded": {
        "TRACKER_STORE_URL": f"sqlite:///{ROOT / 'kalasag.db'}",
        "LOCK_STORE_URL": "memory://",
        "KALASAG_REPLICAS": "1",
    },
    # Replicas that share PostgreSQL and Redis (here: the ones on this machine).
    "scale": {
        "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:5432/kalasag",
        "LOCK_STORE_URL": "redis://127.0.0.1:6379/1",
        "KALASAG_REPLICAS": "2",
    },
}

# Meta's Graph API, pinned to a version (the Messenger Profile API reference, March 2026).
GRAPH_API_URL = "https://graph.facebook.com/v25.0"


def _int(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    root: Path
    content_dir: Path
    hotlines_dir: Path
    models_dir: Path
    host: str
    rasa_port: int
    action_port: int
    # The Rasa HTTP API can read and rewrite conversations: only on with a token.
    rasa_api_token: str | None
    # Where conversations are kept (sqlite://, postgresql:// or redis://), and how long
    # an idle conversation is kept before the bot deletes it.
    tracker_store_url: str
    retention_hours: float
    # Signs the buttons the bot offers, so only its own payloads act as commands.
    secret: str
    # Per sender, on the public channel.
    rate_limit_per_minute: int
    # Origins (scheme://host[:port]) of school pages allowed to call the REST channel
    # from the widget; the bot's own pages need none. Never "*".
    allowed_origins: tuple[str, ...] = ()
    # Telegram (bot/channels/telegram/): off unless a token is set. Polling by default;
    # a webhook URL switches to webhook mode, which then needs its secret token.
    telegram_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_webhook_port: int = 8443
    # The key of the HMAC that turns a chat id into the sender id Rasa sees.
    telegram_id_secret: str = ""
    # Messenger (bot/channels/messenger/): on when the page token, the app secret and the
    # verify token are all set. Every Graph API call goes to <graph api url>/me/...
    messenger_page_access_token: str | None = None
    messenger_app_secret: str | None = None
    messenger_verify_token: str | None = None
    messenger_webhook_port: int = 5010
    messenger_graph_api_url: str = GRAPH_API_URL
    # "page_inbox": "talk to a person" passes the thread to the page's own people.
    messenger_handover: str | None = None
    # The registry id of the helpline that answers the page, for its hours.
    messenger_helpline: str | None = None
    # The key of the HMAC that turns a PSID into the sender id Rasa sees (messenger_id_key).
    messenger_id_secret: str | None = None
    # embedded or scale; where the conversation lock and shared rate limits live
    # (memory:// or redis://); how many Rasa servers, on consecutive ports from rasa_port,
    # and how many Sanic worker processes each.
    profile: str = "embedded"
    lock_store_url: str = "memory://"
    replicas: int = 1
    workers: int = 1

    @property
    def messenger_enabled(self) -> bool:
        tokens = (self.messenger_page_access_token, self.messenger_app_secret, self.messenger_verify_token)
        return all(tokens)

    @property
    def messenger_id_key(self) -> str:
        # Only the Messenger bridge needs it: other processes write no secret file for it.
        return self.messenger_id_secret or _local_secret(".kalasag-messenger-id-secret")

    @property
    def places_file(self) -> Path:
        return self.hotlines_dir / "places.yml"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def rest_url(self) -> str:
        """The REST channel of the first (or only) Rasa server: where faces send messages."""
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def rasa_ports(self) -> list[int]:
        return [self.rasa_port + i for i in range(self.replicas)]

    def store_env(self) -> dict[str, str]:
        """What endpoints.yml's ${…} need, for every process that loads it."""
        return {"TRACKER_STORE_URL": self.tracker_store_url, "LOCK_STORE_URL": self.lock_store_url}

    def check(self) -> None:
        """Refuse a combination that would lose or mix up conversations."""
        if self.replicas == 1 and self.workers == 1:
            return
        if not self.lock_store_url.startswith(("redis:", "rediss:")):
            raise ValueError("several Rasa servers or workers need a shared lock: LOCK_STORE_URL=redis://…")
        if self.tracker_store_url.startswith("sqlite"):
            raise ValueError("several Rasa servers or workers need PostgreSQL or Redis, not SQLite")


def load() -> Settings:
    # Asked on every turn: remembered for the same environment.
    return _load(tuple(os.environ.items()))


@lru_cache(maxsize=8)
def _load(items: tuple[tuple[str, str], ...]) -> Settings:
    env = dict(items)
    profile = env.get("KALASAG_PROFILE") or "embedded"
    if profile not in PROFILES:
        raise ValueError(f"KALASAG_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}")

    def chosen(name: str) -> str:
        return env.get(name) or PROFILES[profile][name]

    return Settings(
        root=ROOT,
        content_dir=Path(env.get("KALASAG_CONTENT_DIR", ROOT / "data" / "content")),
        hotlines_dir=Path(env.get("KALASAG_HOTLINES_DIR", ROOT / "data" / "hotlines")),
        models_dir=Path(env.get("KALASAG_MODELS_DIR", ROOT / "models")),
        host=env.get("KALASAG_HOST", "localhost"),
        rasa_port=_int(env, "KALASAG_RASA_PORT", 5005),
        action_port=_int(env, "KALASAG_ACTION_PORT", 5055),
        rasa_api_token=env.get("RASA_API_TOKEN") or None,
        tracker_store_url=chosen("TRACKER_STORE_URL"),
        retention_hours=float(env.get("KALASAG_RETENTION_HOURS") or 24),
        secret=env.get("KALASAG_SECRET") or _local_secret(".kalasag-secret"),
        rate_limit_per_minute=_int(env, "KALASAG_RATE_LIMIT", 20),
        allowed_origins=tuple(
            o.strip().rstrip("/") for o in env.get("KALASAG_ALLOWED_ORIGINS", "").split(",")
            if o.strip() and o.strip() != "*"
        ),
        telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or "https://api.telegram.org/bot",
        telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or None,
        telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
        telegram_webhook_port=_int(env, "TELEGRAM_WEBHOOK_PORT", 8443),
        telegram_id_secret=env.get("TELEGRAM_ID_SECRET") or _local_secret(".kalasag-telegram-id-secret"),
        messenger_page_access_token=env.get("MESSENGER_PAGE_ACCESS_TOKEN") or None,
        messenger_app_secret=env.get("MESSENGER_APP_SECRET") or None,
        messenger_verify_token=env.get("MESSENGER_VERIFY_TOKEN") or None,
        messenger_webhook_port=_int(env, "MESSENGER_WEBHOOK_PORT", 5010),
        messenger_graph_api_url=(env.get("MESSENGER_GRAPH_API_URL") or GRAPH_API_URL).rstrip("/"),
        messenger_handover=env.get("MESSENGER_HANDOVER") or None,
        messenger_helpline=env.get("MESSENGER_HELPLINE") or None,
        messenger_id_secret=env.get("MESSENGER_ID_SECRET") or None,
        profile=profile,
        lock_store_url=chosen("LOCK_STORE_URL"),
        replicas=int(chosen("KALASAG_REPLICAS")),
        workers=_int(env, "KALASAG_WORKERS", 1),
    )


@cache
def _local_secret(name: str) -> str:
    """A secret kept beside the code for a single machine, created on first use, so it
    survives restarts. Set the environment variable instead when several servers must
    agree (every replica signs the same buttons and hashes chat ids the same way)."""
    path = ROOT / name
    if not path.exists():
        import secrets
        import tempfile

        # Written whole, then linked into place: several processes starting at once all
        # read the one secret that won, never a half-written file. mkstemp makes it private.
        handle, draft = tempfile.mkstemp(dir=ROOT, prefix=f"{name}.")
        try:
            with os.fdopen(handle, "w") as file:
                file.write(secrets.token_hex(32))
            os.link(draft, path)
        except FileExistsError:  # another process was first
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()
