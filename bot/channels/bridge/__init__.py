"""What the Telegram and Messenger bridges share: the way into the bot (the REST channel,
rasa_client.py), the ids Rasa sees (identity.py), what they remember per chat in the
shared state (chat_state.py), and the plain-text helpers both render with (text.py)."""
