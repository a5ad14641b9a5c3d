"""The Messenger bridge: Meta's webhook in front of the Rasa REST channel.

Rasa 3.6's own `facebook` connector checks only the SHA-1 signature (answering 200 when
it fails), handles only a delivery's first event, passes attachment URLs in as typed text,
fails on standby entries, and sends with no timeout. This bridge renders the whole reply
contract (docs/reply-contract.md) with the REST client, identity and per-chat state the
Telegram bridge uses (bot/channels/bridge/), and can hand a conversation to the page's
own people (the page inbox).
"""
