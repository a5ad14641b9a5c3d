"""The Rasa server's entry point (bot/server.py) serves without TensorFlow, and the same as
plain Rasa: same NLU, same predictions, same training graph when something reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from bot import launcher, settings, training
from tests.conftest import need
from tests.servers import free_port
from tests.test_rasa_fixes import MESSAGES

# Run in a fresh interpreter: whether TensorFlow loads depends on what was imported first.
SERVE = """
import asyncio, json, sys
if sys.argv[1] == "ours":
    import bot.server
    bot.server.install()
from rasa.core.agent import Agent
from rasa.core.channels import UserMessage
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

processor = Agent.load(sys.argv[2]).processor
outcomes = []
for text in json.loads(sys.argv[3]):
    parse = asyncio.run(processor.parse_message(UserMessage(text, sender_id="t")))
    tracker = DialogueStateTracker.from_events("t", [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered(text, parse_data=parse)], slots=processor.domain.slots)
    prediction = processor._predict_next_with_tracker(tracker)
    outcomes.append([parse, prediction.policy_name, prediction.max_confidence_index,
                     prediction.probabilities])
tensorflow = "tensorflow" in sys.modules
print("RESULT", json.dumps({"tensorflow": tensorflow, "outcomes": outcomes,
                            "train_schema": processor.model_metadata.train_schema.as_dict()}))
"""


def run(code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=settings.ROOT, capture_output=True,
                          text=True, check=True, timeout=300).stdout


def model() -> Path:
    path = training.model_path(settings.load())
    need(path.exists(), f"a trained model ({path.name}; run `make model`)")
    return path


def test_training_utilities_load_at_their_first_use():
    """Deferred, not stubbed: serving imports stop short of TensorFlow, and the first use
    of what training needs imports it all, as plain Rasa would."""
    out = run("import sys, bot.server\nbot.server.install()\n"
              "import rasa.core.agent, rasa.core.policies.rule_policy\n"
              "before = 'tensorflow' in sys.modules\n"
              "from rasa.utils import train_utils\n"
              "print(before, callable(train_utils.create_data_generators), 'tensorflow' in sys.modules)")
    assert out.split() == ["False", "True", "True"]


@pytest.mark.live
def test_the_model_answers_as_with_plain_rasa_without_tensorflow():
    messages = json.dumps(MESSAGES)
    ours, plain = (json.loads(run(SERVE, which, str(model()), messages).split("RESULT ", 1)[1])
                   for which in ("ours", "plain"))
    assert plain["tensorflow"] and not ours["tensorflow"]
    assert ours["outcomes"] == plain["outcomes"] and len(ours["outcomes"]) == len(MESSAGES)
    assert ours["train_schema"] == plain["train_schema"]


@pytest.mark.live
def test_the_running_server_answers_without_tensorflow():
    """The real server, as the launcher starts it: TensorFlow's library is never mapped."""
    folder = Path(tempfile.mkdtemp(prefix="kalasag-test-"))
    config = replace(settings.load(), rasa_port=free_port(), action_port=free_port(),
                     tracker_store_url=f"sqlite:///{folder / 'tracker.db'}")
    with (folder / "servers.log").open("w") as log, launcher.Bot(config, model(), log=log) as bot:
        sender = f"test-{uuid.uuid4().hex}"
        for text in MESSAGES[:6]:
            body = json.dumps({"sender": sender, "message": text}).encode()
            request = urllib.request.Request(config.rest_url, body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert json.load(response), text
        server = bot.processes[f"rasa-{config.rasa_port}"].pid
        assert "bot.server" in Path(f"/proc/{server}/cmdline").read_text()
        assert "tensorflow" not in Path(f"/proc/{server}/maps").read_text()
    shutil.rmtree(folder)
