"""docs/dependencies.md: the licence of every package Kalasag runs on, read from the
installed packages' own metadata, with copyleft ones flagged.

`python -m bot.dependencies write` regenerates the page (`make dependencies`);
`python -m bot.dependencies check` fails when the page no longer matches what is
installed (`make test` runs it). Runtime means what requirements.in asks for above its
"Tests and lint" heading, and everything those need; test tools are listed apart.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "dependencies.md"
REQUIREMENTS = ROOT / "requirements.in"
TEST_HEADING = "# Tests and lint"

# Classifier and free-text names, to SPDX identifiers.
_NAMES = [
    (r"\bAGPL|Affero", "AGPL-3.0"),
    (r"\bLGPL|Lesser General Public", "LGPL"),
    (r"\bGPL|General Public License", "GPL"),
    (r"Mozilla Public License 2\.0|\bMPL[- ]?2", "MPL-2.0"),
    (r"Apache", "Apache-2.0"),
    (r"\bBSD\b.*3|3-Clause|New BSD|Modified BSD", "BSD-3-Clause"),
    (r"\bBSD\b.*2|2-Clause|Simplified BSD", "BSD-2-Clause"),
    (r"\bBSD\b", "BSD"),
    (r"\bMIT\b", "MIT"),
    (r"\bISC\b", "ISC"),
    (r"Python Software Foundation|\bPSF", "PSF-2.0"),
    (r"Unlicense", "Unlicense"),
    (r"Historical Permission", "HPND"),
    (r"Public Domain", "Public Domain"),
    (r"\bZPL|Zope Public", "ZPL-2.1"),
]
STRONG_COPYLEFT = ("GPL", "AGPL")
WEAK_COPYLEFT = ("LGPL", "MPL", "EPL", "CDDL")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def roots() -> tuple[list[Requirement], list[Requirement]]:
    """requirements.in's runtime and test requirements."""
    runtime, tests, current = [], [], None
    current = runtime
    for line in REQUIREMENTS.read_text().splitlines():
        if line.startswith(TEST_HEADING):
            current = tests
        line = line.split("#", 1)[0].strip()
        if line:
            current.append(Requirement(line))
    return runtime, tests


def closure(requirements: list[Requirement]) -> dict[str, metadata.Distribution]:
    """Every installed distribution the requirements need, by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    pending = [(r, ("",)) for r in requirements]
    while pending:
        requirement, _ = pending.pop()
        name = _canonical(requirement.name)
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue  # not for this platform or Python (a marker said so)
        extras = set(requirement.extras)
        new = name not in found
        found[name] = dist
        for spec in dist.requires or []:
            needed = Requirement(spec)
            if needed.marker:
                wanted = any(needed.marker.evaluate(default_environment() | {"extra": extra})
                             for extra in extras or {""})
                if not wanted:
                    continue
            if new or needed.marker:
                pending.append((needed, ()))
    return found


def licence(dist: metadata.Distribution) -> str:
    """The licence the package states: its SPDX expression, else its classifiers, else
    its short licence field."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::") and c.split("::")[-1].strip() != "OSI Approved"]
    names = [_spdx(c) for c in classifiers if _spdx(c)]
    if names:
        return " OR ".join(dict.fromkeys(names))
    field = (meta.get("License") or "").strip()
    if field and field.upper() != "UNKNOWN":
        first = field.splitlines()[0]
        return _spdx(first) or (first if len(first) <= 40 else "see its licence file")
    return "not stated"


def _spdx(text: str) -> str | None:
    for pattern, name in _NAMES:
        if re.search(pattern, text):
            return name
    return None


def copyleft(licence_text: str) -> str:
    """'strong', 'weak' or '' (permissive). A choice ("MIT OR GPL") is as free as its freest."""
    options = [o.strip(" ()") for o in re.split(r"\bOR\b", licence_text)]

    def kind(option: str) -> str:
        if any(re.search(rf"(?<!L){s}", option) for s in STRONG_COPYLEFT):
            return "strong"
        if any(s in option for s in WEAK_COPYLEFT):
            return "weak"
        return ""

    kinds = [kind(o) for o in options]
    return "" if "" in kinds else ("weak" if "weak" in kinds else "strong")


def page() -> str:
    runtime_roots, test_roots = roots()
    runtime = closure(runtime_roots)
    tests = {k: v for k, v in closure(test_roots).items() if k not in runtime}
    lines = [
        "# Dependencies and their licences",
        "",
        "Generated by `make dependencies` from the installed packages' own metadata; `make test`",
        "fails when it no longer matches them. Never edit it by hand.",
        "",
        "Kalasag's code is Apache-2.0 (`LICENSE`); its vetted content is CC BY 4.0",
        "([content.md](content.md#licence)). Copyleft packages are flagged: **weak** (LGPL, MPL:",
        "changes to that package's own files must be shared; using it is free) or **strong**",
        "(GPL, AGPL: review before distributing). A package that offers a choice counts as its",
        "freest option.",
        "",
    ]
    for title, dists in (("Runtime", runtime), ("Tests and lint only (not deployed)", tests)):
        flagged = [n for n, d in dists.items() if copyleft(licence(d))]
        lines += [f"## {title}: {len(dists)} packages, {len(flagged)} copyleft", "",
                  "| package | version | licence | copyleft |", "|---|---|---|---|"]
        for name in sorted(dists):
            dist = dists[name]
            stated = licence(dist)
            lines.append(f"| {dist.metadata['Name']} | {dist.version} | {stated.replace('|', '/')} | "
                         f"{copyleft(stated) and '**' + copyleft(stated) + '**'} |")
        lines.append("")
    lines += [
        "## Vendored files",
        "",
        "| file | what | licence |",
        "|---|---|---|",
        "| `tests/e2e/vendor/axe-4.10.2.min.js` | axe-core 4.10.2, the accessibility checker the widget"
        " tests run (never served to users) | MPL-2.0 (**weak**), notice kept in the file |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    text = page()
    if command == "write":
        PAGE.write_text(text)
        print(f"wrote {PAGE.relative_to(ROOT)}")
        return 0
    if PAGE.exists() and PAGE.read_text() == text:
        print(f"{PAGE.relative_to(ROOT)} matches the installed packages")
        return 0
    print(f"{PAGE.relative_to(ROOT)} is out of date: run `make dependencies` and commit it", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
