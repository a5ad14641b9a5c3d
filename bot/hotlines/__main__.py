"""`python -m bot.hotlines check|report`: validate the registry; write the reviewer document."""

from __future__ import annotations

import argparse
import sys

from bot import settings
from bot.hotlines import report
from bot.hotlines.registry import check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.hotlines", description=__doc__)
    parser.add_argument("command", choices=["check", "report"])
    parser.add_argument("--out", default="results/reports/hotlines.md")
    args = parser.parse_args(argv)
    config = settings.load()

    registry, problems = check(config.hotlines_dir)
    for warning in registry.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} hotline problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    countries = len([c for c in registry.services if c != "international"])
    services = sum(len(s) for s in registry.services.values())
    print(f"hotlines ok: {services} services in {countries} countries, "
          f"{len(registry.emergency)} emergency numbers, {len(registry.warnings)} due for recheck")
    if args.command == "report":
        path = report.write(registry, config, config.root / args.out)
        print(f"wrote {path.relative_to(config.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
