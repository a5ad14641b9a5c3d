"""A local stand-in for the Telegram Bot API, for tests that run the real python-telegram-bot.

Point PTB at it with ``.base_url(fake.base_url).base_file_url(fake.base_file_url)``. It speaks the
same wire format as api.telegram.org: PTB POSTs form fields (multipart when uploading) to
``{base_url}{token}/{method}`` where string values are sent as-is and everything else JSON-encoded,
and reads back ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., ...}``.
Only standard library, so it needs nothing beyond what the tests already have.
"""

from __future__ import annotations

import email.parser
import email.policy
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

BOT = {"id": 4242, "is_bot": True, "first_name": "Kalasag", "username": "kalasag_test_bot"}
LONG_POLL_CAP = 2.0  # seconds; keeps a test's shutdown quick even when PTB asks for a long poll
_RECORDED = object()  # post_to_webhook default: use the secret_token given to setWebhook


class ApiError(Exception):
    """Raised by a method handler to answer with ``ok: false``."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _decode(value: str) -> Any:
    # PTB JSON-encodes non-string values, so "123" was the int 123, "true" True, "[...]" a list.
    # A text that happens to look like JSON (e.g. "42") decodes too; handlers read such fields raw.
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Raw form fields: str for ordinary values, bytes for uploaded files."""
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        fields: dict[str, Any] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            fields[name] = data if part.get_filename() else data.decode()
        return fields
    if content_type.startswith("application/json"):
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(body or b"{}").items()}
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _utf16_len(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # PTB drops a long poll when it stops; the late answer then hits a closed socket. Not news.
        pass


class FakeBotAPI:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # signalled on every call and new update
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.token_seen: set[str] = set()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.sent: dict[Any, list[dict]] = defaultdict(list)  # bot messages per chat, as sent/edited
        self.undeletable: set[int] = set()
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self._messages: dict[Any, dict[int, dict]] = defaultdict(dict)  # chat -> id -> live message
        self._last_id: dict[Any, int] = defaultdict(int)
        self._chat_types: dict[Any, str] = {}
        self._updates: list[dict] = []
        self._next_update_id = 1
        self._commands: dict[tuple[str, str], list] = {}
        self._failures: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._callback_ids = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                self._answer(_parse_body(self.headers.get("Content-Type", ""), body))

            def do_GET(self):
                self._answer(dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))

            def _answer(self, raw):
                write_json(self, *fake._dispatch(urlsplit(self.path).path, raw))

            def log_message(self, *args):
                pass  # keep pytest output about the test, not about HTTP

        self._server = _Server(("127.0.0.1", 0), Handler)
        # A short poll interval makes shutdown() (and so every test's teardown) near-instant.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._changed.notify_all()  # release long polls now rather than after LONG_POLL_CAP
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- call log ----------------------------------------------------------------------------

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        """Block until ``count`` calls of ``method`` arrived; return them all."""
        with self._changed:
            if self._changed.wait_for(lambda: len(self.calls_of(method)) >= count, timeout):
                return self.calls_of(method)
            seen = [name for name, _ in self.calls]
        raise AssertionError(f"expected {count} call(s) of {method} within {timeout}s; saw {seen}")

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        """Make the next call of ``method`` fail (429 carries ``retry_after``)."""
        with self._lock:
            self._failures[method].append((status, retry_after))

    # -- chat state --------------------------------------------------------------------------

    def visible(self, chat_id) -> list[int]:
        """Message ids still in the chat, from either side, oldest first."""
        with self._lock:
            return sorted(self._messages[chat_id])

    def my_commands(self, language_code: str = "", scope: dict | None = None) -> list[dict]:
        with self._lock:
            return list(self._commands.get(self._commands_key(scope, language_code), []))

    def _chat(self, chat_id, chat_type: str | None = None) -> dict:
        if chat_type:
            self._chat_types[chat_id] = chat_type
        kind = self._chat_types.get(chat_id) or (
            "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
        )
        return {"id": chat_id, "type": kind} | ({} if kind == "private" else {"title": "Test chat"})

    def _new_message(self, chat_id, sender: dict, chat_type: str | None = None, **fields) -> dict:
        # One counter per chat for both sides, as in Telegram, so ids interleave realistically.
        self._last_id[chat_id] += 1
        message = {
            "message_id": self._last_id[chat_id],
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type),
            "from": sender,
        }
        message.update({k: v for k, v in fields.items() if v is not None})
        self._messages[chat_id][message["message_id"]] = message
        return message

    def _queue(self, **update) -> dict:
        update = {"update_id": self._next_update_id, **update}
        self._next_update_id += 1
        self._updates.append(update)
        self._changed.notify_all()
        return update

    # -- updates from users ------------------------------------------------------------------

    def push_message(
        self,
        chat_id,
        text: str | None = None,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        language_code: str | None = "en",
        username: str | None = "someone",
        first_name: str = "Some",
        last_name: str | None = "One",
        photo: bool = False,
        document: bool = False,
        sticker: bool = False,
        voice: bool = False,
        video: bool = False,
        entities: list | None = None,
    ) -> dict:
        """Queue a user's message as an Update; return the update dict."""
        user = {"id": user_id or self._default_user(chat_id), "is_bot": False, "first_name": first_name}
        user |= {k: v for k, v in [("last_name", last_name), ("username", username),
                                   ("language_code", language_code)] if v is not None}
        if entities is None and text and text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(text.split()[0])}]
        media: dict[str, Any] = {}
        if photo:
            media["photo"] = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        if document:
            media["document"] = {"file_id": "doc-1", "file_unique_id": "d1", "file_name": "file.pdf"}
        if sticker:
            media["sticker"] = {"file_id": "sticker-1", "file_unique_id": "s1", "type": "regular",
                                "width": 512, "height": 512, "is_animated": False, "is_video": False}
        if voice:
            media["voice"] = {"file_id": "voice-1", "file_unique_id": "v1", "duration": 2}
        if video:
            media["video"] = {"file_id": "video-1", "file_unique_id": "vd1", "width": 320,
                              "height": 240, "duration": 2}
        with self._lock:
            message = self._new_message(chat_id, user, chat_type, text=text, entities=entities or None,
                                        **media)
            if chat_type == "private":
                message["chat"] |= {k: user[k] for k in ("first_name", "last_name", "username")
                                    if k in user}
            return self._queue(message=message)

    def push_callback(self, chat_id, message_id: int, data: str, *, user_id: int | None = None,
                      chat_type: str = "private") -> dict:
        """Queue a press on an inline button of the bot's message; return the update dict."""
        with self._lock:
            self._callback_ids += 1
            message = self._messages[chat_id].get(message_id) or {
                # Unknown (e.g. already deleted): Telegram still sends what it remembers.
                "message_id": message_id, "date": int(time.time()),
                "chat": self._chat(chat_id, chat_type), "from": BOT,
            }
            user = {"id": user_id or self._default_user(chat_id), "is_bot": False, "first_name": "Some"}
            return self._queue(callback_query={
                "id": str(self._callback_ids), "from": user, "chat_instance": f"ci-{chat_id}",
                "message": message, "data": data,
            })

    @staticmethod
    def _default_user(chat_id) -> int:
        return chat_id if isinstance(chat_id, int) and chat_id > 0 else 777

    # -- webhook -----------------------------------------------------------------------------

    def post_to_webhook(self, update: dict, *, url: str | None = None, secret_token=_RECORDED) -> int:
        """POST ``update`` to the bridge's webhook as Telegram would; return the HTTP status."""
        secret = self.webhook_secret if secret_token is _RECORDED else secret_token
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        target = url or self.webhook_url
        if not target:
            raise AssertionError("no webhook URL: setWebhook was not called and no url= given")
        request = urllib.request.Request(target, json.dumps(update).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    # -- dispatch ----------------------------------------------------------------------------

    def _dispatch(self, path: str, raw: dict[str, Any]) -> tuple[int, dict]:
        if not path.startswith("/bot"):  # e.g. a file download: no files are served
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, _, method = path[len("/bot"):].partition("/")
        params = {k: v if isinstance(v, bytes) else _decode(v) for k, v in raw.items()}
        with self._lock:
            self.token_seen.add(token)
            self.calls.append((method, params))
            self._changed.notify_all()
            if self._failures[method]:
                status, retry_after = self._failures[method].pop(0)
                return status, self._error(status, retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            if method == "getUpdates":  # takes the lock itself: its long wait must release it
                return 200, {"ok": True, "result": handler(params)}
            with self._lock:
                return 200, {"ok": True, "result": handler(params, raw)}
        except ApiError as err:
            return err.status, {"ok": False, "error_code": err.status, "description": err.description}

    @staticmethod
    def _error(status: int, retry_after: int) -> dict:
        if status == 429:
            return {"ok": False, "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after}}
        return {"ok": False, "error_code": status, "description": "Bad Request: injected failure"
                if status == 400 else f"Error {status}: injected failure"}

    # -- Bot API methods (name after _api_ is the Telegram method) -----------------------------
    # Free-text fields are read from ``raw`` so a text like "42" stays a string.

    def _api_getMe(self, p, raw):
        return BOT | {"can_join_groups": True, "can_read_all_group_messages": False,
                      "supports_inline_queries": False}

    def _api_getUpdates(self, p):
        offset, limit = p.get("offset"), p.get("limit") or 100
        allowed = p.get("allowed_updates") or None
        wait = min(float(p.get("timeout") or 0), LONG_POLL_CAP)

        def ready():
            if offset:  # passing an offset confirms everything below it; a negative one keeps the tail
                self._updates[:] = (self._updates[offset:] if offset < 0
                                    else [u for u in self._updates if u["update_id"] >= offset])
            return [u for u in self._updates if not allowed or any(kind in u for kind in allowed)]

        with self._changed:
            self._changed.wait_for(lambda: ready() or self._stopping, wait)
            return ready()[:limit]

    def _api_sendMessage(self, p, raw):
        message = self._new_message(p["chat_id"], BOT, text=raw["text"], entities=p.get("entities"),
                                     reply_markup=p.get("reply_markup"))
        self.sent[p["chat_id"]].append(message)
        return message

    def _api_sendChatAction(self, p, raw):
        return True

    def _api_answerCallbackQuery(self, p, raw):
        return True

    def _edited(self, p) -> dict:
        message = self._messages[p.get("chat_id")].get(p.get("message_id"))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _api_editMessageText(self, p, raw):
        if "inline_message_id" in p:
            return True
        message = self._edited(p)
        new = {"text": raw["text"], "entities": p.get("entities"), "reply_markup": p.get("reply_markup")}
        if all(message.get(k) == v for k, v in new.items()):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content "
                                "and reply markup are exactly the same as a current content and reply "
                                "markup of the message")
        message.update({k: v for k, v in new.items() if v is not None})
        for key in ("entities", "reply_markup"):
            if new[key] is None:
                message.pop(key, None)
        message["edit_date"] = int(time.time())
        return message

    def _api_editMessageReplyMarkup(self, p, raw):
        if "inline_message_id" in p:
            return True
        message = self._edited(p)
        message.pop("reply_markup", None)  # no markup in the call means "remove the keyboard"
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        message["edit_date"] = int(time.time())
        return message

    def _api_deleteMessage(self, p, raw):
        chat = self._messages[p["chat_id"]]
        if p["message_id"] not in chat:
            raise ApiError(400, "Bad Request: message to delete not found")
        if p["message_id"] in self.undeletable:
            raise ApiError(400, "Bad Request: message can't be deleted")
        del chat[p["message_id"]]
        return True

    def _api_deleteMessages(self, p, raw):
        # Telegram skips ids it cannot delete and still answers true.
        chat = self._messages[p["chat_id"]]
        for message_id in p["message_ids"]:
            if message_id not in self.undeletable:
                chat.pop(message_id, None)
        return True

    @staticmethod
    def _commands_key(scope, language_code) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), str(language_code or "")

    def _api_setMyCommands(self, p, raw):
        self._commands[self._commands_key(p.get("scope"), raw.get("language_code"))] = p["commands"]
        return True

    def _api_getMyCommands(self, p, raw):
        return self._commands.get(self._commands_key(p.get("scope"), raw.get("language_code")), [])

    def _api_deleteMyCommands(self, p, raw):
        self._commands.pop(self._commands_key(p.get("scope"), raw.get("language_code")), None)
        return True

    def _api_setWebhook(self, p, raw):
        self.webhook_url, self.webhook_secret = raw["url"], raw.get("secret_token")
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_deleteWebhook(self, p, raw):
        self.webhook_url, self.webhook_secret = "", None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, p, raw):
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _api_close(self, p, raw):
        return True

    def _api_logOut(self, p, raw):
        return True

    def _api_leaveChat(self, p, raw):
        return True
