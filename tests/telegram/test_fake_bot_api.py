"""The fake Bot API works with the real python-telegram-bot: requests decode, replies parse."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, EndPointNotFound, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from tests.telegram.fake_bot_api import FakeBotAPI

TOKEN = "123456:TEST-token"
CHAT = 5551


@pytest.fixture
def fake():
    with FakeBotAPI() as api:
        yield api


def bot_for(fake: FakeBotAPI) -> Bot:
    return Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url)


def app_for(fake: FakeBotAPI) -> Application:
    builder = Application.builder().token(TOKEN)
    return builder.base_url(fake.base_url).base_file_url(fake.base_file_url).build()


def test_get_me(fake):
    async def main():
        async with bot_for(fake) as bot:  # initialize() already calls getMe
            return await bot.get_me()

    me = asyncio.run(main())
    assert (me.id, me.username, me.is_bot, me.first_name) == (4242, "kalasag_test_bot", True, "Kalasag")
    assert fake.token_seen == {TOKEN}


def test_send_message_returns_a_message(fake):
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])

    async def main():
        async with bot_for(fake) as bot:
            return await bot.send_message(CHAT, "42", reply_markup=markup)

    message = asyncio.run(main())
    assert isinstance(message, Message)
    assert (message.chat_id, message.text, message.from_user.id) == (CHAT, "42", 4242)
    assert message.reply_markup == markup
    assert fake.sent[CHAT][0]["text"] == "42"  # a numeric-looking text stays a string
    assert fake.calls_of("sendMessage")[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Yes"


def test_set_my_commands_records_language(fake):
    async def main():
        async with bot_for(fake) as bot:
            await bot.set_my_commands([BotCommand("start", "Magsimula")], language_code="tl")
            return await bot.get_my_commands(language_code="tl"), await bot.get_my_commands()

    tagalog, default = asyncio.run(main())
    assert fake.calls_of("setMyCommands")[0]["language_code"] == "tl"
    assert fake.my_commands("tl") == [{"command": "start", "description": "Magsimula"}]
    assert [c.command for c in tagalog] == ["start"] and default == ()


def test_delete_message_and_configured_failure(fake):
    async def main():
        async with bot_for(fake) as bot:
            first = await bot.send_message(CHAT, "one")
            second = await bot.send_message(CHAT, "two")
            fake.undeletable.add(second.message_id)
            assert await bot.delete_message(CHAT, first.message_id) is True
            # PTB drops the "Bad Request: " prefix and capitalises the rest.
            with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
                await bot.delete_message(CHAT, second.message_id)
            return second.message_id

    kept = asyncio.run(main())
    assert fake.visible(CHAT) == [kept]


def test_delete_messages_skips_undeletable(fake):
    fake.push_message(CHAT, "hi")  # message 1, the user's

    async def main():
        async with bot_for(fake) as bot:
            await bot.send_message(CHAT, "a")  # 2
            await bot.send_message(CHAT, "b")  # 3
            fake.undeletable.add(3)
            return await bot.delete_messages(CHAT, [1, 2, 3])

    assert asyncio.run(main()) is True
    assert fake.visible(CHAT) == [3]


def test_injected_rate_limit_and_unknown_method(fake):
    fake.fail_next("sendMessage", retry_after=3)

    async def main():
        async with bot_for(fake) as bot:
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(CHAT, "x")
            await bot.send_message(CHAT, "x")  # only the next call fails
            with pytest.raises(EndPointNotFound):
                await bot.do_api_request("noSuchMethod")
            return str(caught.value)

    assert asyncio.run(main()) == "Flood control exceeded. Retry in 3 seconds"
    assert len(fake.calls_of("sendMessage")) == 2 and fake.calls_of("noSuchMethod") == [{}]


def test_polling_delivers_text_and_callback(fake):
    seen: list[tuple[str, str]] = []

    async def on_text(update, context):
        seen.append(("text", update.message.text))
        await update.message.reply_text(
            "Pick one", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
        )

    async def on_button(update, context):
        seen.append(("button", update.callback_query.data))
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Picked A")

    async def main():
        application = app_for(fake)
        application.add_handler(MessageHandler(filters.TEXT, on_text))
        application.add_handler(CallbackQueryHandler(on_button))
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=10)
        try:
            update = fake.push_message(CHAT, "kumusta", language_code="tl")
            [reply] = await asyncio.to_thread(fake.wait_for, "sendMessage")
            assert reply["chat_id"] == CHAT and reply["text"] == "Pick one"
            bot_message = fake.sent[CHAT][-1]
            fake.push_callback(CHAT, bot_message["message_id"], "a")
            await asyncio.to_thread(fake.wait_for, "editMessageText")
            await asyncio.to_thread(fake.wait_for, "answerCallbackQuery")
            return update, bot_message
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()

    update, bot_message = asyncio.run(main())
    assert update["update_id"] == 1 and update["message"]["from"]["language_code"] == "tl"
    assert seen == [("text", "kumusta"), ("button", "a")]
    assert bot_message["text"] == "Picked A" and "reply_markup" not in bot_message
    assert fake.calls_of("deleteWebhook")  # PTB's polling bootstrap


def test_push_message_shapes():
    with FakeBotAPI() as fake:
        command = fake.push_message(-100, "/start now", chat_type="group", user_id=9)["message"]
        photo = fake.push_message(-100, photo=True, user_id=9)["message"]
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command["chat"]["type"] == "group" and command["from"]["id"] == 9
    assert (command["message_id"], photo["message_id"]) == (1, 2)
    assert Message.de_json(photo, None).photo[0].file_id == "photo-1"


def test_get_updates_offset_limit_allowed(fake):
    for text in ("a", "b", "c"):
        fake.push_message(CHAT, text)
    fake.push_callback(CHAT, 1, "x")

    async def main():
        async with bot_for(fake) as bot:
            first = await bot.get_updates(limit=2)
            rest = await bot.get_updates(offset=first[-1].update_id + 1, allowed_updates=["callback_query"])
            empty = await bot.get_updates(offset=rest[-1].update_id + 1, timeout=1)
            return first, rest, empty

    first, rest, empty = asyncio.run(main())
    assert [u.message.text for u in first] == ["a", "b"]
    assert [u.callback_query.data for u in rest] == ["x"]
    assert empty == ()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_post_with_secret(fake):
    got = asyncio.Event

    async def main():
        received = got()

        async def on_text(update, context):
            received.set()

        port = free_port()
        application = app_for(fake)
        application.add_handler(MessageHandler(filters.TEXT, on_text))
        await application.initialize()
        await application.start()
        await application.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="tg", secret_token="s3cret",
            webhook_url=f"http://127.0.0.1:{port}/tg",
        )
        try:
            update = {"update_id": 77, "message": {
                "message_id": 1, "date": 0, "chat": {"id": CHAT, "type": "private"}, "text": "hi"}}
            wrong = await asyncio.to_thread(fake.post_to_webhook, update, secret_token="nope")
            missing = await asyncio.to_thread(fake.post_to_webhook, update, secret_token=None)
            right = await asyncio.to_thread(fake.post_to_webhook, update)
            await asyncio.wait_for(received.wait(), 10)
            return wrong, missing, right
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()

    assert asyncio.run(main()) == (403, 403, 200)
    assert fake.webhook_secret == "s3cret"
    assert fake.calls_of("getUpdates") == []  # a webhook post does not queue anything
