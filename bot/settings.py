"""The one place that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
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

    @property
    def places_file(self) -> Path:
        return self.hotlines_dir / "places.yml"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"


def load() -> Settings:
    env = os.environ
    return Settings(
        root=ROOT,
        content_dir=Path(env.get("KALASAG_CONTENT_DIR", ROOT / "data" / "content")),
        hotlines_dir=Path(env.get("KALASAG_HOTLINES_DIR", ROOT / "data" / "hotlines")),
        models_dir=Path(env.get("KALASAG_MODELS_DIR", ROOT / "models")),
        host=env.get("KALASAG_HOST", "localhost"),
        rasa_port=_int("KALASAG_RASA_PORT", 5005),
        action_port=5055,  # endpoints.yml points the Rasa server here
        rasa_api_token=env.get("RASA_API_TOKEN") or None,
    )
