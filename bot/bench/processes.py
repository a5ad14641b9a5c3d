"""Resident memory of the processes under test, read from /proc (Linux)."""

from __future__ import annotations

import contextlib
from pathlib import Path


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # gone
        return {}
    return dict(line.split(":", 1) for line in lines if ":" in line)


def _kib(status: dict[str, str], field: str) -> int:
    return int(status.get(field, "0 kB").split()[0])


def tree(pid: int) -> list[int]:
    """The process and its descendants (Sanic workers are children of the server)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):  # the task just ended
                queue += [int(c) for c in (task / "children").read_text().split()]
    return found


def rss_mb(pid: int, children: bool = True) -> float:
    """Resident memory now, of the process and (unless told) its children."""
    return sum(_kib(_status(p), "VmRSS") for p in (tree(pid) if children else [pid])) / 1024


def peak_rss_mb(pid: int, children: bool = True) -> float:
    """The most memory the process (and each child) has ever held resident."""
    return sum(_kib(_status(p), "VmHWM") for p in (tree(pid) if children else [pid])) / 1024


def role(pid: int) -> str | None:
    """Which of the launcher's servers a process is, from its command line."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return None
    if "rasa_sdk" in command:
        return "actions"
    if "bot.server" in command and "--port" in command:
        return f"rasa-{command[command.index('--port') + 1]}"
    return None
