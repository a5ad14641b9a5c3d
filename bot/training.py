"""Train the Rasa model only when what it is trained on has changed.

The model file is named after a hash of its inputs, so the model that matches the
current data is either on disk already or gets trained now.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings

# Rasa reads these, and the crisis model reads data/safety; data/content and
# data/hotlines are ours and reach the model only through the files generated from them.
TRAINING_INPUTS = (
    "config.yml", "domain.yml", "data/nlu", "data/rules", "data/stories", "data/responses", "data/safety",
)
KEEP_MODELS = 3


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(root).as_posix().encode())
                digest.update(b"\0")
                digest.update(file.read_bytes())
                digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(config: Settings) -> Path:
    return config.models_dir / f"kalasag-{fingerprint(config.root)}.tar.gz"


def train_if_needed(config: Settings) -> Path:
    path = model_path(config)
    if path.exists():
        print(f"model is up to date: {path.relative_to(config.root)}")
        return path
    print(f"training {path.name} (the data, domain or config changed)", flush=True)
    subprocess.run(
        [
            sys.executable, "-m", "rasa", "train",
            "--fixed-model-name", path.name.removesuffix(".tar.gz"),
            "--out", str(config.models_dir),
            # Rasa's training cache knows only Rasa's data: the crisis model's own
            # (data/safety) would be reused stale. This runs only when an input changed.
            "--force",
        ],
        cwd=config.root,
        check=True,
    )
    _prune(config.models_dir, keep=path)
    return path


def _prune(models_dir: Path, keep: Path) -> None:
    """Keep the newest few models, so switching branches back is instant."""
    models = sorted(models_dir.glob("kalasag-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-KEEP_MODELS]:
        if old != keep:
            old.unlink()
