"""The bridge's handlers: one code path for long polling and webhooks."""

from __future__ import annotations

import logging
from html import escape

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.bridge import text as bridge_text
from bot.channels.bridge.chat_state import ChatState
from bot.channels.bridge.rasa_client import RasaClient, RasaUnavailable
from bot.channels.signing import sign
from bot.channels.telegram import identity
from bot.channels.telegram.render import Outgoing, pieces, render
from bot.content.catalog import DEFAULT_LANGUAGE, Catalog
from bot.content.catalog import cached as content
from bot.hotlines import places
from bot.hotlines.registry import cached as hotlines
from bot.settings import Settings
from bot.stores import shared

logger = logging.getLogger(__name__)

# Commands, and the payload each one sends to Rasa (signed, like a button the bot offered).
COMMANDS = {
    "start": "/greet",
    "help": "/show_topics",
    "about": '/faq{"content_id":"about-this-bot"}',
    "language": "/choose_language",
    "hotline": "/ask_hotline",
    "forget": "/forget_me",
}
LOCAL_COMMANDS = ("country", "clear")  # answered by the bridge itself
MENU = ("start", "help", "about", "language", "hotline", "country", "forget", "clear")
REPORT_HOW = '/faq{"content_id":"report-abuse-material"}'
MEDIA = (
    filters.PHOTO | filters.VIDEO | filters.Document.ALL | filters.Sticker.ALL | filters.VOICE
    | filters.VIDEO_NOTE | filters.AUDIO | filters.ANIMATION
)
FLOOD_PER_MINUTE = 12
# Telegram's language codes are ISO 639-1: Filipino users mostly have "tl" or "fil".
HINTS = {"tl": "fil", "fil": "fil", "en": "en"}


class Bridge:
    def __init__(self, config: Settings, rasa_url: str, catalog: Catalog | None = None) -> None:
        self.config = config
        self.catalog = catalog or content(config.content_dir)
        self.registry = hotlines(config.hotlines_dir)
        self.rasa = RasaClient(rasa_url, "telegram")
        # Shared by every replica when it is Redis: any of them can take a chat's next update.
        self.state = shared.connect(config.lock_store_url)
        self.chats = ChatState(self.state, int(config.retention_hours * 3600))

    # -- wiring ------------------------------------------------------------------

    def application(self) -> Application:
        base = self.config.telegram_api_base_url.rstrip("/")
        app = (
            Application.builder()
            .token(self.config.telegram_token or "")
            .base_url(base)
            .base_file_url(base.removesuffix("/bot") + "/file/bot")
            .rate_limiter(AIORateLimiter())
            .concurrent_updates(64)  # one slow conversation does not hold up the others
            .post_init(self.register_commands)
            .post_shutdown(lambda _: self.rasa.close())
            .build()
        )
        private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
        app.add_handler(MessageHandler(groups & filters.COMMAND, self.group_command))
        for name in COMMANDS:
            app.add_handler(CommandHandler(name, self.command, filters=private))
        app.add_handler(CommandHandler("country", self.choose_country, filters=private))
        app.add_handler(CommandHandler("clear", self.clear, filters=private))
        app.add_handler(MessageHandler(private & MEDIA, self.media))
        app.add_handler(MessageHandler(private & filters.TEXT, self.text))
        app.add_handler(CallbackQueryHandler(self.button))
        app.add_error_handler(self.error)
        return app

    async def register_commands(self, app: Application) -> None:
        for language, code in (("en", None), ("fil", "tl"), ("fil", "fil")):
            commands = [BotCommand(c, self.catalog.message(f"command_{c}", language)) for c in MENU]
            await app.bot.set_my_commands(commands, language_code=code)

    # -- handlers ----------------------------------------------------------------

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat.id, update.effective_message
        await self.chats.sent(self.sender(chat), message.message_id)
        if not await self.within_limits(chat, context):
            return
        # Only our commands are commands: anything else typed with "/" is plain text.
        text, hint = message.text.lstrip("/ ") or "?", await self.hint(chat, update)
        await self.ask(chat, context, text, hint, self.turn_id(update, context))

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat.id, update.effective_message
        await self.chats.sent(self.sender(chat), message.message_id)
        if not await self.within_limits(chat, context):
            return
        name = message.text.split()[0].lstrip("/").split("@")[0].lower()
        payload = sign(self.sender(chat), COMMANDS[name])
        hint = await self.hint(chat, update)
        await self.ask(chat, context, payload, hint, self.turn_id(update, context))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        if query.message is None or query.message.chat.type != ChatType.PRIVATE:
            return
        chat = query.message.chat.id
        payload = await self.chats.payload(self.sender(chat), query.data or "")
        if payload is None:  # never offered to this chat, or long forgotten
            await self.say(chat, context, self.catalog.message("button_expired", await self.lang(chat)))
            return
        if await self.within_limits(chat, context):
            await self.ask(chat, context, payload, {}, self.turn_id(update, context))

    async def choose_country(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat.id
        sender = self.sender(chat)
        await self.chats.sent(sender, update.effective_message.message_id)
        buttons = [
            (places.country_label(code), sign(sender, f'/inform_country{{"country":"{code}"}}'))
            for code in self.catalog.countries
        ]
        text = escape(self.catalog.message("ask_country", await self.lang(chat)))
        await self.send(chat, context, Outgoing(text, buttons))

    async def clear(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Delete every message of this conversation the bot still can, both sides."""
        chat = update.effective_chat.id
        ids = [*await self.chats.take_sent(self.sender(chat)), update.effective_message.message_id]
        failed = 0
        for message_id in ids:
            try:
                await context.bot.delete_message(chat, message_id)
            except TelegramError:
                failed += 1
        language = await self.lang(chat)
        lines = [self.catalog.message("cleared", language, deleted=str(len(ids) - failed))]
        if failed:
            lines.append(self.catalog.message("not_cleared", language, count=str(failed)))
        await self.say(chat, context, "\n".join(lines))

    async def media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Never downloaded: deleted from the chat, then how to report such material."""
        chat, message = update.effective_chat.id, update.effective_message
        try:
            await message.delete()
        except TelegramError:
            await self.chats.sent(self.sender(chat), message.message_id)  # /clear can try again
        await self.say(chat, context, self.catalog.message("media_deleted", await self.lang(chat)))
        await self.ask(chat, context, sign(self.sender(chat), REPORT_HOW), {},
                       self.turn_id(update, context, "report-how"))

    async def group_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In groups the bot never discusses a case: it only invites to a private chat."""
        link = f"https://t.me/{context.bot.username}"
        code = ((update.effective_user.language_code if update.effective_user else None) or "").split("-")[0]
        language = HINTS.get(code.lower(), DEFAULT_LANGUAGE)
        await context.bot.send_message(
            update.effective_chat.id, self.catalog.message("group_invite", language, link=link)
        )

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The type only: an exception's text can quote the user's message.
        logger.error("telegram update failed (%s)", type(context.error).__name__)

    # -- talking to Rasa and to Telegram ------------------------------------------

    def sender(self, chat: int) -> str:
        return identity.sender_id(chat, self.config.telegram_id_secret)

    def turn_id(self, update: Update, context: ContextTypes.DEFAULT_TYPE, suffix: str = "") -> str:
        """The message id Rasa gets for this update: a redelivery or a retry runs no turn twice."""
        return identity.message_id(context.bot.id, update.update_id, self.config.telegram_id_secret, suffix)

    async def lang(self, chat: int) -> str:
        return await self.chats.language(self.sender(chat))

    async def hint(self, chat: int, update: Update) -> dict[str, str]:
        """The user's Telegram language, once: only a hint for the first choice."""
        if update.effective_user is None or not await self.chats.first_message(self.sender(chat)):
            return {}
        code = (update.effective_user.language_code or "").split("-")[0].lower()
        return {"language": HINTS[code]} if code in HINTS else {}

    async def within_limits(self, chat: int, context: ContextTypes.DEFAULT_TYPE) -> bool:
        if await self.state.allow("flood:" + self.sender(chat), FLOOD_PER_MINUTE):
            return True
        await self.say(chat, context, self.catalog.message("rate_limited", await self.lang(chat)))
        return False

    async def ask(
        self, chat: int, context: ContextTypes.DEFAULT_TYPE, text: str, metadata: dict, message_id: str
    ) -> None:
        try:
            replies = await self.rasa.send(self.sender(chat), text, metadata, message_id)
        except RasaUnavailable as error:
            logger.error("rasa unavailable (%s)", error)
            await self.unavailable(chat, context)
            return
        await self.chats.learn(self.sender(chat), replies)
        for outgoing in render(replies, self.catalog):
            await self.send(chat, context, outgoing)

    async def unavailable(self, chat: int, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Rasa is down or slow: say so, with the emergency and child-helpline numbers."""
        language, country = await self.lang(chat), await self.chats.country(self.sender(chat))
        await self.say(chat, context, bridge_text.unavailable(self.catalog, self.registry, language, country))

    async def say(self, chat: int, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        await self.send(chat, context, Outgoing(escape(text)))

    async def send(self, chat: int, context: ContextTypes.DEFAULT_TYPE, outgoing: Outgoing) -> None:
        sender = self.sender(chat)
        for piece in pieces(outgoing):
            rows = [
                [InlineKeyboardButton(title, callback_data=await self.chats.key(sender, payload))]
                for title, payload in piece.buttons
            ]
            sent = await context.bot.send_message(
                chat, piece.html, parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup(rows) if rows else None, disable_web_page_preview=True,
            )
            await self.chats.sent(sender, sent.message_id)


def run(config: Settings, rasa_url: str) -> None:
    """Long polling by default; a webhook when TELEGRAM_WEBHOOK_URL is set (with its secret)."""
    app = Bridge(config, rasa_url).application()
    updates = [Update.MESSAGE, Update.CALLBACK_QUERY]
    if config.telegram_webhook_url:
        if not config.telegram_webhook_secret:
            raise SystemExit("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
        path = config.telegram_webhook_url.rstrip("/").rsplit("/", 1)[-1]
        app.run_webhook(
            listen="0.0.0.0", port=config.telegram_webhook_port, url_path=path,
            webhook_url=config.telegram_webhook_url, secret_token=config.telegram_webhook_secret,
            allowed_updates=updates,
        )
    else:
        app.run_polling(allowed_updates=updates)
