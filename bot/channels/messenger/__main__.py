"""`python -m bot.channels.messenger setup`: set the page's Messenger Profile;
`python -m bot.channels.messenger run`: the bridge, in front of a running bot."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.channels.messenger", description=__doc__)
    parser.add_argument("command", choices=["setup", "run"])
    args = parser.parse_args(argv)
    config = settings.load()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry the page token
    if not config.messenger_enabled:
        needed = "MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_APP_SECRET and MESSENGER_VERIFY_TOKEN"
        print(f"set {needed} to start the Messenger bridge", file=sys.stderr)
        return 2
    if args.command == "run":
        from bot.channels.messenger import bridge

        bridge.run(config, config.rest_url)
        return 0
    return asyncio.run(setup(config))


async def setup(config: settings.Settings) -> int:
    from bot.channels.messenger.graph import Graph, GraphError
    from bot.channels.messenger.setup import profile
    from bot.content.catalog import cached

    graph = Graph(config.messenger_graph_api_url, config.messenger_page_access_token or "")
    try:
        body = profile(cached(config.content_dir), handover=bool(config.messenger_handover))
        await graph.call("messenger_profile", body)
    except GraphError as error:
        print(f"the Messenger Profile API refused the profile: {error}", file=sys.stderr)
        return 1
    finally:
        await graph.close()
    print("Messenger profile set: Get Started, greeting, persistent menu, ice breakers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
