"""The Telegram bridge: python-telegram-bot in front of the Rasa REST channel.

Rasa's own Telegram channel drops everything but text and has no secret-token check;
this bridge renders the whole reply contract (docs/reply-contract.md), keeps chat ids
out of Rasa (an HMAC of them), deletes media instead of downloading it, and keeps what it
remembers per chat in the shared state (chat_state.py), so any replica can take any update.
"""
