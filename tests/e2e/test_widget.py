"""The school widget on the sample school page (/demo/, strict CSP), in Debian's chromium."""

from __future__ import annotations

import gzip
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.content.catalog import load

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "bot/channels/static/widget/widget.js"
AXE = Path(__file__).parent / "vendor" / "axe-4.10.2.min.js"
SHOTS = ROOT / "results" / "screenshots"
EXIT = "https://www.google.com/"


def test_the_widget_fits_its_budget():
    assert len(gzip.compress(WIDGET.read_bytes(), 9)) <= 30 * 1024


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


@pytest.fixture
def page(browser, live_bot):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    # The neutral page quick exit leaves for: served locally, the tests have no internet.
    page.route(EXIT + "**", lambda r: r.fulfill(body="<title>Search</title>", content_type="text/html"))
    page.goto(live_bot.rasa_url + "/demo/")
    yield page
    context.close()


def widget(page):
    return page.locator(".kalasag-widget")


def open_widget(page, catalog):
    widget(page).get_by_role("button", name="Online safety help").click()
    widget(page).get_by_text(catalog.message("privacy_notice", "en").splitlines()[0]).wait_for()


def ask(page, text):
    box = widget(page).get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_a_pupil_has_a_conversation(page, catalog):
    open_widget(page, catalog)
    # A button press: the page said the audience (teen), so the greeting offers teen topics.
    topic = catalog.topics[catalog.menu_for("teen")[0].id]
    widget(page).get_by_role("button", name=topic.title["en"]).click()
    widget(page).get_by_text(topic.answer("teen", "en").splitlines()[0]).wait_for()
    # An answer shows its sources as links that open safely in a new tab.
    ask(page, "how do i make my instagram private")
    link = widget(page).locator(".sources a").last
    link.wait_for()
    assert link.get_attribute("href").startswith("https://")
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
    # Hotlines for the page's country (data-country="PH"), with tap-to-call links.
    ask(page, "who can i call for help")
    call = widget(page).locator(".hotlines a[href^='tel:']").first
    call.wait_for()
    assert call.get_attribute("href")[4:].lstrip("+").isdigit()
    # A crisis: a banner with the emergency number to tap and the school's contact.
    ask(page, "my stepdad touches me at night and says its our secret")
    banner = widget(page).get_by_role("alert")
    banner.wait_for()
    assert banner.locator("a[href='tel:911']").count() == 1
    assert "Ms. Reyes" in banner.inner_text()
    # Nothing outlives the tab.
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length") == 0
    assert json.loads(page.evaluate("sessionStorage.getItem('kalasag-widget')"))["sender"].startswith("web-")
    assert page.problems == []


def test_quick_exit_leaves_nothing_and_back_does_not_return(page, catalog, live_bot):
    open_widget(page, catalog)
    ask(page, "what is grooming")
    widget(page).locator(".sources").first.wait_for()
    widget(page).get_by_role("button", name="Quick exit").click()
    page.wait_for_url(EXIT)
    assert page.evaluate("sessionStorage.length") == 0
    page.go_back()
    assert page.url.startswith(EXIT) or page.url == "about:blank"
    # Coming back later in the same tab: an empty conversation.
    page.goto(live_bot.rasa_url + "/demo/")
    assert page.evaluate("sessionStorage.getItem('kalasag-widget')") is None
    assert widget(page).locator(".msg").count() == 0


def test_escape_three_times_is_a_quick_exit(page, catalog):
    open_widget(page, catalog)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(EXIT)
    assert page.evaluate("sessionStorage.length") == 0


def test_a_script_in_a_message_is_shown_as_text_and_never_runs(page, catalog):
    open_widget(page, catalog)
    payload = '<img src=x onerror="window.__pwned=1">'
    ask(page, payload)
    widget(page).locator(".msg.user", has_text=payload).wait_for()
    widget(page).locator(".reply").last.wait_for()
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(
        "document.querySelector('.kalasag-widget').shadowRoot.querySelectorAll('img').length"
    ) == 0


def test_keyboard_alone_reaches_every_control(page, catalog):
    page.keyboard.press("Tab")
    active = "(() => { const r = document.querySelector('.kalasag-widget').shadowRoot;" \
             " const a = r.activeElement; return a ? (a.getAttribute('aria-label') || a.textContent" \
             " || a.getAttribute('placeholder') || a.tagName) : null; })()"
    assert page.evaluate(active) == "Online safety help"
    page.keyboard.press("Enter")
    widget(page).get_by_text(catalog.message("privacy_notice", "en").splitlines()[0]).wait_for()
    reached = set()
    for _ in range(30):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(active))
    expected = {"Quick exit", "Close chat", "Send", "Ask a question",
                catalog.topics[catalog.menu_for("teen")[0].id].title["en"]}
    assert expected <= reached, reached
    # Esc closes the panel and gives focus back to the launcher.
    page.keyboard.press("Escape")
    assert page.evaluate(active) == "Online safety help"


def test_axe_finds_no_serious_problems(browser, live_bot, catalog):
    # axe is injected as a script, which the page's own CSP would rightly refuse.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_bot.rasa_url + "/demo/")
    open_widget(page, catalog)
    ask(page, "what is grooming")
    widget(page).locator(".sources").first.wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], v["help"]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    context.close()
    assert serious == []


@pytest.mark.parametrize(("name", "size"), [("desktop", (1280, 800)), ("phone", (320, 640))])
def test_screenshots_and_small_screens(browser, live_bot, catalog, name, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(live_bot.rasa_url + "/demo/")
    open_widget(page, catalog)
    ask(page, "what is grooming")
    widget(page).locator(".sources").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    box = page.evaluate(
        "document.querySelector('.kalasag-widget').shadowRoot.querySelector('.panel')"
        ".getBoundingClientRect().toJSON()"
    )
    assert box["left"] >= 0 and box["right"] <= size[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"widget-{name}.png"))
    context.close()


def test_cors_is_an_allowlist(live_bot):
    request = urllib.request.Request(
        live_bot.rasa_url + "/webhooks/rest/webhook", method="OPTIONS",
        headers={"Origin": "https://not-a-school.example", "Access-Control-Request-Method": "POST"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        allowed = response.headers.get("Access-Control-Allow-Origin")
    assert allowed in (None, "")


def test_filipino_labels_and_a_kind_message_when_the_bot_is_unreachable(browser, live_bot):
    # A school page on another origin (a real local server) that is not on the CORS
    # allowlist: the widget loads, but the browser refuses its requests to the bot, so
    # the user gets the kind error message, in Filipino, and nothing breaks.
    html = (f'<!doctype html><html lang="fil"><body><h1>Paaralan</h1><script src="{live_bot.rasa_url}'
            f'/widget.js" data-language="fil" data-mode="inline"></script></body></html>').encode()

    class School(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), School)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        root = page.locator(".kalasag-widget")
        root.get_by_role("button", name="Mabilis na exit").wait_for()
        assert root.get_by_label("Ang mensahe mo").count() == 1
        root.locator(".msg.error", has_text="Pasensya na").wait_for()  # inline: opens by itself
    finally:
        context.close()
        server.shutdown()
