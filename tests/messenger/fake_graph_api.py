"""A local stand-in for Meta's Graph API, for tests of the Messenger bridge.

Standard library only. It answers like graph.facebook.com: POST <base>/me/messages,
/me/pass_thread_control, /me/take_thread_control and /me/messenger_profile with the page
token as `access_token`, JSON in and out, and Meta's error body
{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}} on failure. Every
request is recorded, whatever its path, so a test can show what was never asked for
(an attachment's URL, the user-profile API). It also builds Meta's webhook deliveries and
signs them with the app secret.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fake_servers import write_json

TOKEN = "EAAG-test-page-token"
APP_SECRET = "test-app-secret"
VERSION = "v25.0"
PAGE_ID = "1067280970047460"
# Meta's documented error bodies (https://developers.facebook.com/docs/messenger-platform/error-codes).
ERRORS = {
    "user_unavailable": (400, 551, 1545041, "This person isn't available right now."),
    "outside_window": (400, 10, 2018278, "This message is sent outside of allowed window."),
    "rate_limit": (400, 613, None, "Calls to this api have exceeded the rate limit."),
    "app_rate_limit": (400, 4, None, "Application request limit reached"),
    "server": (500, 2, None, "An unexpected error has occurred. Please retry your request later."),
    "bad_token": (400, 190, None, "Invalid OAuth access token."),
    "invalid": (400, 100, None, "(#100) Invalid parameter"),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class FakeGraphAPI:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self.calls: list[dict[str, Any]] = []  # every request: method, path, query, body
        self._failures: dict[str, list[str]] = defaultdict(list)
        self._ids = itertools.count(1)
        self._server: _Server | None = None

    # -- lifecycle -----------------------------------------------------------------

    def __enter__(self) -> FakeGraphAPI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length))

            def do_GET(self):
                self._answer(b"")

            def _answer(self, raw: bytes):
                write_json(self, *fake._dispatch(self.command, self.path, raw))

            def log_message(self, *args):
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """MESSENGER_GRAPH_API_URL: the base, up to the version."""
        return f"{self.origin}/{VERSION}"

    def cdn_url(self, name: str) -> str:
        """Where an attachment would be: on this server, so a fetch would be recorded."""
        return f"{self.origin}/cdn/{name}?oh=signature"

    # -- failures ------------------------------------------------------------------

    def fail(self, edge: str, *errors: str) -> None:
        """The next calls to /me/<edge> fail, one error (a key of ERRORS) each."""
        with self._lock:
            self._failures[edge] += errors

    # -- answering -----------------------------------------------------------------

    def _dispatch(self, method: str, path: str, raw: bytes) -> tuple[int, dict]:
        parts = urlsplit(path)
        query = dict(parse_qsl(parts.query))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            self.calls.append({"method": method, "path": parts.path, "query": query, "body": body})
            self._lock.notify_all()
            edge = parts.path.removeprefix(f"/{VERSION}/me/")
            if method != "POST" or not parts.path.startswith(f"/{VERSION}/me/"):
                return 404, self._error("invalid")[1]
            if query.get("access_token") != TOKEN:
                return self._error("bad_token")
            if self._failures[edge]:
                return self._error(self._failures[edge].pop(0))
        if not isinstance(body, dict):
            return self._error("invalid")
        if edge == "messages":
            return self._message(body)
        if edge in ("pass_thread_control", "take_thread_control"):
            return 200, {"success": True}
        if edge == "messenger_profile":
            return self._profile(body)
        return self._error("invalid")

    def _error(self, name: str) -> tuple[int, dict]:
        status, code, subcode, message = ERRORS[name]
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
        if subcode:
            error["error_subcode"] = subcode
        return status, {"error": error}

    def _message(self, body: dict) -> tuple[int, dict]:
        recipient = (body.get("recipient") or {}).get("id")
        if not recipient:
            return self._error("invalid")
        if "sender_action" in body:
            return 200, {"recipient_id": recipient}
        message = body.get("message") or {}
        text = message.get("text")
        quick = message.get("quick_replies") or []
        template = ((message.get("attachment") or {}).get("payload") or {})
        buttons = template.get("buttons") or []
        # Meta's limits: the bridge must keep within them.
        if (body.get("messaging_type") != "RESPONSE" or (text is not None and len(text) > 2000)
                or len(quick) > 13 or any(len(q.get("title", "")) > 20 for q in quick)
                or len(buttons) > 3 or len(template.get("text", "")) > 640
                or any(len(b.get("title", "")) > 20 for b in buttons)
                or any(b.get("type") == "phone_number" and not b.get("payload", "").startswith("+")
                       for b in buttons)):
            return self._error("invalid")
        return 200, {"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"}

    def _profile(self, body: dict) -> tuple[int, dict]:
        greetings = body.get("greeting") or []
        if any(len(g.get("text", "")) > 160 for g in greetings):
            return self._error("invalid")
        return 200, {"result": "success"}

    # -- reading what was asked ----------------------------------------------------

    def calls_to(self, edge: str) -> list[dict]:
        with self._lock:
            return [c for c in self.calls if c["path"] == f"/{VERSION}/me/{edge}"]

    def messages(self, psid: str) -> list[dict]:
        """The `message` of every Send API call to this user, in order (failed ones too)."""
        return [c["body"]["message"] for c in self.calls_to("messages")
                if (c["body"].get("recipient") or {}).get("id") == psid and "message" in c["body"]]

    def texts(self, psid: str) -> list[str]:
        out = []
        for m in self.messages(psid):
            out.append(m.get("text") or ((m.get("attachment") or {}).get("payload") or {}).get("text", ""))
        return out

    def actions(self, psid: str) -> list[str]:
        return [c["body"]["sender_action"] for c in self.calls_to("messages")
                if (c["body"].get("recipient") or {}).get("id") == psid and "sender_action" in c["body"]]

    def wait_text(self, psid: str, part: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [t for t in self.texts(psid) if part in t]
                if found:
                    return found[0]
                if time.monotonic() > deadline:
                    raise AssertionError(f"no message with {part!r} in {self.texts(psid)}")
                self._lock.wait(0.2)

    def wait_quiet(self, seconds: float = 1.5) -> None:
        """Until nothing new has been asked for `seconds`."""
        while True:
            before = len(self.calls)
            time.sleep(seconds)
            if len(self.calls) == before:
                return


# -- webhook deliveries, in Meta's format ---------------------------------------------

_mids = itertools.count(1)


def _now() -> int:
    return int(time.time() * 1000)


def _mid() -> str:
    return f"m_in_{next(_mids)}"


def messaging(psid: str, **event: Any) -> dict:
    return {"sender": {"id": psid}, "recipient": {"id": PAGE_ID}, "timestamp": _now(), **event}


def text(psid: str, words: str, mid: str | None = None) -> dict:
    return messaging(psid, message={"mid": mid or _mid(), "text": words})


def quick_reply(psid: str, title: str, payload: str) -> dict:
    return messaging(psid, message={"mid": _mid(), "text": title, "quick_reply": {"payload": payload}})


def postback(psid: str, title: str, payload: str) -> dict:
    return messaging(psid, postback={"mid": _mid(), "title": title, "payload": payload})


def attachment(psid: str, kind: str, url: str) -> dict:
    payload = {"url": url}
    if kind == "sticker":  # Meta sends stickers as images with a sticker id
        kind, payload["sticker_id"] = "image", 369239263222822
    return messaging(psid, message={"mid": _mid(), "attachments": [{"type": kind, "payload": payload}]})


def echo(psid: str, words: str) -> dict:
    # An echo's sender is the page and its recipient the user.
    return {"sender": {"id": PAGE_ID}, "recipient": {"id": psid}, "timestamp": _now(),
            "message": {"mid": f"m_echo_{next(_mids)}", "is_echo": True, "app_id": 1517776481860111,
                        "text": words}}


def delivery(psid: str) -> dict:
    return messaging(psid, delivery={"mids": ["m_1"], "watermark": _now()})


def read(psid: str) -> dict:
    return messaging(psid, read={"watermark": _now()})


def control(psid: str, kind: str, new_owner: str, previous: str | None = None) -> dict:
    return messaging(psid, **{kind: {"previous_owner_app_id": previous, "new_owner_app_id": new_owner,
                                     "metadata": "done"}})


def delivery_of(*entries: dict) -> dict:
    return {"object": "page", "entry": list(entries)}


def entry(*events: dict, standby: bool = False) -> dict:
    return {"id": PAGE_ID, "time": _now(), ("standby" if standby else "messaging"): list(events)}


def signature(body: bytes, secret: str = APP_SECRET, algorithm: str = "sha256") -> str:
    return f"{algorithm}=" + hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()


def post(url: str, payload: dict, headers: dict[str, str] | None = None) -> int:
    """POST a delivery to the bridge, signed like Meta unless headers are given."""
    body = json.dumps(payload).encode()
    sent = {"Content-Type": "application/json"}
    sent.update({"X-Hub-Signature-256": signature(body)} if headers is None else headers)
    request = urllib.request.Request(url, data=body, headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
