"""The page's Messenger Profile: Get Started, the greeting, the persistent menu and the ice
breakers, in English and Filipino (https://developers.facebook.com/docs/messenger-platform/reference/messenger-profile-api/).
"""

from __future__ import annotations

from typing import Any

from bot.channels.messenger.bridge import ICE
from bot.content.catalog import Catalog

# Meta's locale for Filipino; "default" is everyone else.
LOCALES = {"default": "en", "tl_PH": "fil"}
MENU_ITEMS = (("MENU_TOPICS", "menu_topics"), ("MENU_HOTLINE", "menu_hotline"),
              ("MENU_LANGUAGE", "menu_language"), ("MENU_FORGET", "menu_forget"))
ICE_BREAKERS = ("grooming", "sextortion", "hotline")
MAX_GREETING = 160


def profile(catalog: Catalog, handover: bool) -> dict[str, Any]:
    items = [*MENU_ITEMS, *((("MENU_PERSON", "menu_person"),) if handover else ())]
    greeting = [{"locale": locale, "text": catalog.message("messenger_greeting", language)[:MAX_GREETING]}
                for locale, language in LOCALES.items()]
    menu = [{"locale": locale, "composer_input_disabled": False, "call_to_actions": [
        {"type": "postback", "title": catalog.message(key, language), "payload": payload}
        for payload, key in items]} for locale, language in LOCALES.items()]
    ice = [{"locale": locale, "call_to_actions": [
        {"question": catalog.message(f"ice_breaker_{name}", language), "payload": f"{ICE}{name}:{language}"}
        for name in ICE_BREAKERS]} for locale, language in LOCALES.items()]
    return {"get_started": {"payload": "GET_STARTED"}, "greeting": greeting, "persistent_menu": menu,
            "ice_breakers": ice}
