"""`python -m bot train|run|eval|crossval|telegram|messenger`: the commands behind `make`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("train", help="train the model if its data changed")
    run = commands.add_parser("run", help="start the bot in the foreground")
    run.add_argument("--model", type=Path, help="serve this model instead of the one the data needs")
    evaluate = commands.add_parser("eval", help="run the held-out set through the REST channel")
    evaluate.add_argument("--min-accuracy", type=float, default=0.0)
    evaluate.add_argument("--min-fallback", type=float, default=0.0)
    evaluate.add_argument("--min-hotlines", type=float, default=0.0)
    evaluate.add_argument("--min-accuracy-fil", type=float, default=0.0)
    evaluate.add_argument("--min-in-language", type=float, default=0.0)
    evaluate.add_argument("--report", help="also write the figures here, as JSON")
    crossval = commands.add_parser("crossval", help="k-fold cross-validation of the NLU")
    crossval.add_argument("--folds", type=int, default=3)
    commands.add_parser("telegram", help="the Telegram bridge, in front of a running bot")
    commands.add_parser("messenger", help="the Messenger bridge, in front of a running bot")
    args = parser.parse_args(argv)
    config = settings.load()

    if args.command == "telegram":
        import logging

        from bot.channels.telegram import bridge

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry the bot token
        if not config.telegram_token:
            print("set TELEGRAM_BOT_TOKEN (from @BotFather) to start the Telegram bridge", file=sys.stderr)
            return 2
        bridge.run(config, config.rest_url)
        return 0

    if args.command == "messenger":
        from bot.channels.messenger.__main__ import main as messenger

        return messenger(["run"])

    from bot import training

    if args.command == "train":
        training.train_if_needed(config)
        return 0
    if args.command == "run":
        from bot import launcher

        return launcher.serve_forever(config, args.model or training.train_if_needed(config))

    if args.command == "crossval":
        from bot import crossval

        return crossval.main(config, args.folds)

    from bot import evaluation

    return evaluation.main(config, args)


if __name__ == "__main__":
    sys.exit(main())
