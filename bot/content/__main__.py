"""`python -m bot.content check|build`: validate the content, generate Rasa data."""

from __future__ import annotations

import argparse
import sys

from bot import settings
from bot.content import build, report
from bot.content.catalog import check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.content", description=__doc__)
    parser.add_argument("command", choices=["check", "build", "report"])
    parser.add_argument("--out", default="results/reports/content.md", help="where report writes")
    args = parser.parse_args(argv)
    config = settings.load()

    catalog, problems = check(config.content_dir)
    if problems:
        print(f"{len(problems)} content problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1

    if args.command == "build":
        for path in build.write(catalog, config.root):
            print(f"wrote {path}")
    elif args.command == "report":
        print(f"wrote {report.write(catalog, config.root / args.out).relative_to(config.root)}")
    else:
        stale = build.stale(catalog, config.root)
        if stale:
            names = ", ".join(map(str, stale))
            print(f"generated files are out of date: {names}; run `make content`", file=sys.stderr)
            return 1
    print(f"content ok: {len(catalog.topics)} topics, {len(catalog.messages)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
