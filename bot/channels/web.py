"""Serve the chat page (/chat/), the school widget (/widget.js) and a sample school page
(/demo/) from the Rasa server, on the REST channel's origin."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

STATIC = Path(__file__).parent / "static" / "chat"
WIDGET = Path(__file__).parent / "static" / "widget" / "widget.js"
DEMO = Path(__file__).parent / "static" / "demo"
DEMO_FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "school.css": ("school.css", "text/css; charset=utf-8"),
}
PRIVACY = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "chat.js": ("chat.js", "text/javascript; charset=utf-8"),
    "chat.css": ("chat.css", "text/css; charset=utf-8"),
    "icon.svg": ("icon.svg", "image/svg+xml"),
}
# Same-origin scripts and styles only: no inline code, no third parties.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _file(folder: Path, files: dict[str, tuple[str, str]], name: str) -> HTTPResponse:
    if name not in files:
        return response.text("Not found", status=404)
    filename, content_type = files[name]
    return response.raw((folder / filename).read_bytes(), content_type=content_type, headers=HEADERS)


class WebPages(InputChannel):
    """Not a message channel: it only serves files that talk to the REST channel."""

    @classmethod
    def name(cls) -> str:
        return "web_pages"

    def url_prefix(self) -> str:
        return "/"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        pages = Blueprint("kalasag_web_pages", __name__)

        @pages.route("/chat", methods=["GET"])
        async def chat_root(request: Request) -> HTTPResponse:
            return response.redirect("/chat/")

        @pages.route("/chat/<name:path>", methods=["GET"])
        async def chat(request: Request, name: str = "") -> HTTPResponse:
            return _file(STATIC, FILES, name)

        @pages.route("/widget.js", methods=["GET"])
        async def widget(request: Request) -> HTTPResponse:
            # Loaded by schools' pages on other origins; it holds no secrets.
            headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300",
                       "Cross-Origin-Resource-Policy": "cross-origin"}
            return response.raw(WIDGET.read_bytes(), content_type="text/javascript; charset=utf-8",
                                headers=headers)

        @pages.route("/demo", methods=["GET"])
        async def demo_root(request: Request) -> HTTPResponse:
            return response.redirect("/demo/")

        @pages.route("/demo/<name:path>", methods=["GET"])
        async def demo(request: Request, name: str = "") -> HTTPResponse:
            # Under the same strict policy as the chat page: the widget must work there.
            return _file(DEMO, DEMO_FILES, name)

        @pages.route("/privacy", methods=["GET"])
        async def privacy(request: Request) -> HTTPResponse:
            return response.raw(
                PRIVACY.read_bytes(), content_type="text/plain; charset=utf-8", headers=HEADERS
            )

        return pages
