"""The plain chat page in a real browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import pytest

from bot.content.catalog import load

pytestmark = pytest.mark.live


def test_a_visitor_chats_and_sees_the_sources(live_bot, browser, root):
    catalog = load(root / "data/content")
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(live_bot.rasa_url + "/chat/")
    notice = catalog.message("privacy_notice", "en").splitlines()[0]
    page.get_by_text(notice).wait_for()

    page.get_by_role("button", name=catalog.message("audience_button_parent", "en")).click()
    page.get_by_text(catalog.message("audience_set_parent", "en")).wait_for()

    page.get_by_label("Your message").fill("how do i make my son's instagram private")
    page.keyboard.press("Enter")
    link = page.locator(".sources a").first
    link.wait_for()
    topic = catalog.topics["privacy-settings"]
    assert link.get_attribute("href") in [s.url for s in topic.sources]
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    assert page.get_by_text(topic.answer("parent", "en").splitlines()[0]).count() == 1

    # Nothing outlives the tab: no cookies, nothing in localStorage.
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("sessionStorage.getItem('kalasag-sender')").startswith("web-")
    assert problems == []
    page.close()


def test_message_text_is_never_rendered_as_html(live_bot, browser):
    page = browser.new_page()
    page.goto(live_bot.rasa_url + "/chat/")
    page.get_by_label("Your message").fill("<img src=x onerror=alert(1)>hello")
    page.keyboard.press("Enter")
    page.locator(".msg--user").first.wait_for()
    assert page.locator(".msg--user").first.text_content() == "<img src=x onerror=alert(1)>hello"
    assert page.locator("#log img").count() == 0
    page.close()


def test_a_crisis_shows_the_emergency_number_first(live_bot, browser):
    page = browser.new_page()
    page.goto(live_bot.rasa_url + "/chat/")
    page.locator(".msg--bot").first.wait_for()
    page.get_by_label("Your message").fill("i'm in the UK and someone is hurting me right now")
    page.keyboard.press("Enter")
    call = page.get_by_role("alert").get_by_role("link")
    call.wait_for()
    assert call.get_attribute("href") == "tel:999"
    page.close()


def test_forget_me_starts_a_new_conversation(live_bot, browser, root):
    catalog = load(root / "data/content")
    page = browser.new_page()
    page.goto(live_bot.rasa_url + "/chat/")
    page.get_by_role("button", name=catalog.message("button_forget", "en")).click()
    page.get_by_text(catalog.message("forget_done", "en").splitlines()[0]).wait_for()
    old = page.evaluate("sessionStorage.getItem('kalasag-sender')")
    assert old is None  # dropped with the deleted conversation
    page.get_by_label("Your message").fill("what is grooming")
    page.keyboard.press("Enter")
    page.locator(".sources a").first.wait_for()
    assert page.evaluate("sessionStorage.getItem('kalasag-sender')").startswith("web-")
    page.close()
