"""docs/dependencies.md: every locked package is listed, and copyleft is told apart."""

from __future__ import annotations

import re

from bot import dependencies


def test_every_locked_package_is_listed_with_a_licence(root):
    locked = {dependencies._canonical(m.group(1)) for m in
              re.finditer(r"^([A-Za-z0-9_.-]+)==", (root / "requirements.lock").read_text(), re.M)}
    listed = {dependencies._canonical(row.split("|")[1].strip())
              for row in dependencies.page().splitlines() if re.match(r"\| [A-Za-z0-9]", row)}
    assert locked <= listed, locked - listed


def test_copyleft_is_flagged_and_a_choice_counts_as_its_freest_option():
    assert dependencies.copyleft("GPL-3.0-only") == "strong"
    assert dependencies.copyleft("AGPL-3.0") == "strong"
    assert dependencies.copyleft("LGPL-2.1-only") == "weak"
    assert dependencies.copyleft("MPL-2.0") == "weak"
    assert dependencies.copyleft("GPL OR LGPL") == "weak"
    assert dependencies.copyleft("MIT OR GPL-2.0") == ""
    assert dependencies.copyleft("Apache-2.0") == ""
    assert dependencies.copyleft("BSD-3-Clause AND TCL") == ""
