"""deploy/ refers only to things that exist in this project.

Nothing here builds an image, installs a chart or starts a server: it parses every YAML file
and Dockerfile under deploy/ and checks each image, port, environment variable, HTTP path,
copied file, module path and package against the code. That is all deploy/README.md claims.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.metadata as metadata
import importlib.util
import json
import re
import shlex
import sys
from collections.abc import Iterator
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from bot import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
YAML_FILES = sorted(DEPLOY.rglob("*.yaml"))
DOCS = [DEPLOY / "README.md", DEPLOY / "OPERATIONS.md"]
# The official images we build on, pinned, and the distribution each one brings.
BASE_IMAGES = {"rasa/rasa:3.6.21": "rasa", "rasa/rasa-sdk:3.6.2": "rasa-sdk", "python:3.10-slim": None}
OURS = re.compile(r"^ghcr\.io/kalasag/kalasag-([a-z]+):([\w.-]+)$")
OTHER_PROGRAMS_ENV = {  # read by other programs; bot/settings.py reads all of ours
    "RASA_TELEMETRY_ENABLED",  # Rasa (rasa/telemetry.py)
    "SANIC_WORKERS",  # Rasa (rasa/core/utils.py, number_of_sanic_workers)
    "TF_INTER_OP_PARALLELISM_THREADS",  # Rasa (rasa/constants.py, ENV_CPU_INTER_OP_CONFIG)
    "TF_INTRA_OP_PARALLELISM_THREADS",  # Rasa (rasa/constants.py, ENV_CPU_INTRA_OP_CONFIG)
    "SQL_POOL_SIZE",  # Rasa's SQL tracker store (rasa/core/tracker_store.py, create_engine_kwargs)
    "SQL_MAX_OVERFLOW",  # the same
    "PYTHONPATH",  # Python
    "PYTHONUNBUFFERED",  # Python
}
# What the rasa chart (1.17.3 values.yaml) writes into endpoints.yml unless a key is set to null.
CHART_STORE_DEFAULTS = {
    "trackerStore": {"type": "sql", "dialect": "postgresql", "url": "${DB_HOST}", "port": "${DB_PORT}",
                     "username": "${DB_USER}", "password": "${DB_PASSWORD}", "db": "${DB_DATABASE}",
                     "login_db": "${DB_DATABASE}"},
    "lockStore": {"type": "redis", "url": "${REDIS_HOST}", "port": "${REDIS_PORT}",
                  "password": "${REDIS_PASSWORD}", "db": "1"},
}
CLAIMS = ("we deployed", "we have deployed", "has been deployed", "was deployed", "tested on kubernetes",
          "tested in production", "verified in production", "running in production", "we built",
          "successfully deployed", "load tested", "load-tested")
FORBIDDEN = {"rasaToken": "the chart's default token", r":latest\b": "a latest tag",
             r"""cors["']?\s*[:=]\s*["']?\*""": "CORS for any origin"}


# -- reading the files ------------------------------------------------------------------------

def documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def instructions(text: str) -> list[tuple[str, str]]:
    """A Dockerfile's instructions, comments dropped, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", "\n".join(x for x in text.splitlines() if not x.lstrip().startswith("#")))
    return [(word.upper(), rest.strip()) for word, _, rest in
            (line.strip().partition(" ") for line in joined.splitlines() if line.strip())]


ALL_DOCS = [(path, doc) for path in YAML_FILES for doc in documents(path)]
RASA, ACTIONS = (documents(DEPLOY / "helm" / f"{n}-values.yaml")[0] for n in ("rasa", "rasa-action-server"))
DOCKERFILES = {p.name: instructions(p.read_text()) for p in sorted((DEPLOY / "docker").glob("*.Dockerfile"))}


def walk(node: Any, keys: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every node, with the keys that lead to it ("[]" for a list item)."""
    yield keys, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*keys, str(key)))
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, (*keys, "[]"))


def found(*endings: tuple[str, ...]) -> list[Any]:
    """Every node, in every YAML document, whose keys end with one of these."""
    return [node for _, doc in ALL_DOCS for keys, node in walk(doc)
            if any(keys[-len(end):] == end for end in endings)]


NODES = [node for _, doc in ALL_DOCS for _, node in walk(doc)]


def env_entries() -> list[dict]:
    return [entry for entries in found(("env",), ("extraEnv",)) for entry in entries]


def kind(name: str) -> list[dict]:
    return [doc for _, doc in ALL_DOCS if doc.get("kind") == name]


def words(steps: list[tuple[str, str]], instruction: str) -> list[str]:
    return [w for i, rest in steps if i == instruction for w in (json.loads(rest) if rest[0] == "[" else
                                                                  shlex.split(rest))]


def after(args: list[str], *flags: str) -> list[str]:
    return [value for flag, value in pairwise(args) if flag in flags]


def copy_sources(steps: list[tuple[str, str]]) -> list[str]:
    return [source for i, rest in steps if i == "COPY"
            for source in [arg for arg in shlex.split(rest) if not arg.startswith("--")][:-1]]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    """name==version (extras dropped)."""
    return {canonical(m[1]): m[2] for line in lines if (m := re.match(r"([\w.-]+)(?:\[.*\])?==(\S+)$", line))}


# -- what the project has ---------------------------------------------------------------------

def settings_env_names() -> set[str]:
    """What bot/settings.py reads: env.get("X"), _int(env, "X"), chosen("X"), the keys of PROFILES."""
    names = set()
    for node in ast.walk(ast.parse((ROOT / "bot" / "settings.py").read_text())):
        call = isinstance(node, ast.Call)
        named = [a.value for a in node.args if isinstance(a, ast.Constant)] if call else []
        if named:
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            names |= {named[0]} if called in ("get", "_int", "chosen") else set()
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PROFILES":
            names |= {key.value for profile in node.value.values for key in profile.keys}
    return {name for name in names if isinstance(name, str) and name.isupper()}


KNOWN_ENV = settings_env_names() | OTHER_PROGRAMS_ENV


def project_ports(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Rasa's, the actions' and the bridge's from the settings' defaults; PostgreSQL's and
    Redis's from the scale profile's URLs."""
    for name in settings_env_names():
        monkeypatch.delenv(name, raising=False)
    for name in ("KALASAG_SECRET", "TELEGRAM_ID_SECRET"):  # or load() writes secret files
        monkeypatch.setenv(name, "test")
    config = settings.load()
    stores = {urlparse(url).port for url in settings.PROFILES["scale"].values() if "://" in url}
    return {config.rasa_port, config.action_port, config.telegram_webhook_port,
            config.messenger_webhook_port} | stores - {None}


def known_paths() -> set[str]:
    """The routes our channels, the Messenger bridge and rasa-sdk define, "<parameter>"
    parts cut off."""
    from bot.channels.messenger.bridge import PATH as MESSENGER
    from bot.channels.rest import GuardedRestInput

    def routes(path: Path, app: str, prefix: str = "") -> set[str]:
        found = re.findall(rf'@{app}\.(?:route|get|post)\("([^"]+)"', path.read_text())
        return {prefix + re.sub(r"<[^>]+>$", "", route) for route in found}

    return (routes(ROOT / "bot/channels/rest.py", "rest", f"/webhooks/{GuardedRestInput().url_prefix()}")
            | routes(ROOT / "bot/channels/web.py", "pages")
            | routes(Path(importlib.util.find_spec("rasa_sdk.endpoint").origin), "app") | {MESSENGER})


def chart_names() -> dict[str, str]:
    """Each release's Deployment and Service name (the charts' fullname rule), from the install
    line in its values file's header."""
    names = {}
    for path in (DEPLOY / "helm").glob("*.yaml"):
        release, chart = re.search(r"helm install (\S+) rasa/(\S+)", path.read_text()).groups()
        names[path.name] = release if chart in release else f"{release}-{chart}"
    return names


def our_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.exists()), None)


@cache
def installed_distributions() -> dict[str, tuple[set[str], list[str]]]:
    """Each distribution in this virtualenv (the same pins as the images): the top-level
    packages it installs (from its files when it does not declare them, as Python 3.10's
    packages_distributions() would need) and what it requires."""
    return {canonical(d.metadata["Name"]): (
        set((d.read_text("top_level.txt") or "").split()) or {f.parts[0] for f in d.files or []},
        [canonical(re.match(r"[\w.-]+", r)[0]) for r in d.requires or [] if "extra ==" not in r],
    ) for d in metadata.distributions()}


# -- the checks, as functions that return problems, first tried on bad samples ------------------

def image_problem(image: str) -> str | None:
    match = OURS.match(image)
    if image in BASE_IMAGES or (match and match[2] != "latest" and
                                (DEPLOY / "docker" / f"{match[1]}.Dockerfile").exists()):
        return None
    return f"{image}: not a pinned base image, nor ghcr.io/kalasag/kalasag-<x>:<tag> with a Dockerfile"


def copy_problem(source: str, steps: list[tuple[str, str]]) -> str | None:
    if source.startswith("models/") or (source == "${MODEL}" and ("ARG", "MODEL") in steps):
        return None  # the trained model: built by `make model`, not in git
    return None if (ROOT / source).exists() else f"COPY {source}: not in the repository"


def module_problem(dotted: str) -> str | None:
    """A module (actions) or a class (bot.x.Y) that must import."""
    module, _, name = dotted.rpartition(".")
    with contextlib.suppress(ImportError):  # a class's path: its module is no package
        if importlib.util.find_spec(dotted):
            return None
    try:
        return None if module and hasattr(importlib.import_module(module), name) else f"{dotted}: not found"
    except ImportError as error:
        return f"{dotted}: {error}"


def rendered_store(chart_key: str, ours: dict) -> dict:
    """A store as the chart's config-map.yaml writes it: its defaults under ours, a null
    removing a key (Helm's rule), `enabled` left out."""
    merged = {**CHART_STORE_DEFAULTS[chart_key], **ours}
    return {key: value for key, value in merged.items() if value is not None and key != "enabled"}


def claims(text: str) -> list[str]:
    return [claim for claim in CLAIMS if claim in text.lower()]


def forbidden(text: str) -> list[str]:
    return [why for pattern, why in FORBIDDEN.items() if re.search(pattern, text)]


def test_the_checks_catch_bad_samples() -> None:
    assert image_problem("rasa/rasa:latest") and image_problem("ghcr.io/kalasag/kalasag-rasa:latest")
    assert image_problem("ghcr.io/kalasag/kalasag-nothing:1.0") and not image_problem("python:3.10-slim")
    steps = instructions("FROM x:1\nCOPY --chown=1 no/such/ bot/ /app/\nRUN pip install a==1 \\\n b[c]==2")
    assert copy_sources(steps) == ["no/such/", "bot/"] and pins(words(steps, "RUN")) == {"a": "1", "b": "2"}
    assert copy_problem("no/such/", steps) and not copy_problem("bot/", steps)
    assert module_problem("bot.stores.tracker_store.NoSuchStore") and module_problem("no_such_module")
    assert "${DB_PORT}" in rendered_store("trackerStore", {"type": "x.Y", "url": "${U}"}).values()
    assert claims("We deployed it and tested on Kubernetes.") and not claims("Never deployed.")
    assert forbidden("cors: '*'") and forbidden("token: rasaToken") and forbidden("FROM python:latest")
    assert "DATABASE_URL" not in KNOWN_ENV and "/healthz" not in known_paths()


# -- the tests --------------------------------------------------------------------------------

def test_every_image_is_a_pinned_base_or_one_of_ours() -> None:
    images = [words(steps, "FROM")[0] for steps in DOCKERFILES.values()]
    images += [node for node in found(("image",)) if isinstance(node, str)]
    for chart in (RASA, ACTIONS):  # the charts' rule (rasa-common _images.tpl)
        image = chart["image"]
        images.append(f"{image.get('repository') or chart['registry'] + '/' + image['name']}:{image['tag']}")
    assert len(images) == 8 and [problem for problem in map(image_problem, images) if problem] == []


def test_every_port_is_one_the_project_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    used = [p for p in found(("port",), ("containerPort",), ("targetPort",), ("number",)) if str(p).isdigit()]
    for node in NODES:
        used += [urlparse(u).port for u in re.findall(r"\w+://\S+", node)] if isinstance(node, str) else []
        used += after(node, "--port") if isinstance(node, list) else []  # command lines
    used += [e["value"] for e in env_entries() if e["name"].endswith("_PORT")]
    for steps in DOCKERFILES.values():
        used += after(words(steps, "CMD"), "--port") + words(steps, "EXPOSE")
    allowed = project_ports(monkeypatch)
    assert allowed >= {5005, 5055, 8443, 5010} and len(used) > 15
    assert [port for port in used if port is not None and int(port) not in allowed] == []


def test_every_variable_set_is_one_that_is_read_and_secrets_stay_secret() -> None:
    (secret,) = kind("Secret")
    names = [e["name"] for e in env_entries()] + list(secret["stringData"])
    names += [word.partition("=")[0] for steps in DOCKERFILES.values() for word in words(steps, "ENV")]
    assert len(names) > 20 and [name for name in names if name not in KNOWN_ENV] == []
    assert all("CHANGE_ME" in value for value in secret["stringData"].values())  # placeholders only
    refs = found(("secretKeyRef",))
    assert len(refs) > 10 and all(r["name"] == secret["metadata"]["name"] and r["key"] in secret["stringData"]
                                  for r in refs)
    assert {e["name"] for e in env_entries() if "value" in e}.isdisjoint(secret["stringData"])


def test_every_http_path_exists() -> None:
    known = known_paths()
    assert {"/webhooks/rest/", "/webhooks/rest/webhook", "/health", "/webhook", "/chat/", "/widget.js",
            "/privacy", "/webhooks/messenger"} <= known
    # The bridge listens on the last segment of its webhook URL (bot/channels/telegram/bridge.py run).
    webhooks = {"/" + e["value"].rstrip("/").rsplit("/", 1)[-1] for e in env_entries()
                if e["name"] == "TELEGRAM_WEBHOOK_URL"}
    probes, routed = found(("httpGet", "path")), found(("paths", "[]", "path"))
    urls = [urlparse(n).path for n in NODES if isinstance(n, str) and re.match(r"https?://[\w-]+[:/]", n)]
    assert RASA["readinessProbe"]["httpGet"]["path"] == "/webhooks/rest/"  # 503 until the model is loaded
    assert len(probes) == 4 and len(urls) == 1 and webhooks and webhooks <= set(routed)
    assert "/webhooks/messenger" in routed  # the Messenger bridge's own path (bridge.PATH)
    assert [path for path in probes + urls + routed if path not in known | webhooks] == []


def test_every_copied_file_exists_and_every_pin_matches_the_lock() -> None:
    lock = pins((ROOT / "requirements.lock").read_text().splitlines())
    for steps in DOCKERFILES.values():
        assert [problem for source in copy_sources(steps) if (problem := copy_problem(source, steps))] == []
        installs = pins(words(steps, "RUN"))
        assert installs and {name: v for name, v in installs.items() if lock.get(name) != v} == {}


def test_every_module_path_resolves() -> None:
    app_settings = RASA["applicationSettings"]
    dotted = [app_settings["endpoints"][key]["type"] for key in CHART_STORE_DEFAULTS]
    dotted += list(app_settings["credentials"]["additionalChannelCredentials"])
    for steps in DOCKERFILES.values():
        dotted += after(words(steps, "CMD"), "-m", "--actions")
        if words(steps, "CMD")[:3] == ["python", "-m", "bot"]:  # a subcommand of bot/__main__.py
            assert f'add_parser("{words(steps, "CMD")[3]}"' in (ROOT / "bot" / "__main__.py").read_text()
    assert len(dotted) == 7 and [problem for problem in map(module_problem, dotted) if problem] == []


def test_the_chart_writes_the_projects_endpoints() -> None:
    ours = RASA["applicationSettings"]["endpoints"]
    project = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert rendered_store("trackerStore", ours["trackerStore"]) == project["tracker_store"]
    assert rendered_store("lockStore", ours["lockStore"]) == project["lock_store"]
    action = ours["additionalEndpoints"]["action_endpoint"]
    assert {**action, "url": None} == {**project["action_endpoint"], "url": None}
    assert set(re.findall(r"\$\{(\w+)\}", yaml.safe_dump(ours))) <= {e["name"] for e in RASA["extraEnv"]}


def test_names_ports_cors_and_replicas_agree() -> None:
    names = chart_names()
    services = set(names.values()) | {doc["metadata"]["name"] for doc in kind("Service")}
    targets = found(("service", "name"), ("scaleTargetRef", "name"))
    assert len(targets) == 8 and set(targets) <= services
    env = {e["name"]: e.get("value") for e in env_entries()}
    assert env["KALASAG_HOST"] == names["rasa-values.yaml"]
    assert int(env["KALASAG_RASA_PORT"]) == RASA["service"]["port"]
    endpoints = RASA["applicationSettings"]["endpoints"]
    action = urlparse(endpoints["additionalEndpoints"]["action_endpoint"]["url"])
    assert action.hostname == names["rasa-action-server-values.yaml"]
    assert action.port == ACTIONS["service"]["port"]
    cors = RASA["args"][RASA["args"].index("--cors") + 1:]
    assert cors and cors == RASA["applicationSettings"]["cors"].split(",") and "*" not in "".join(cors)
    hpas = {hpa["spec"]["scaleTargetRef"]["name"]: hpa["spec"] for hpa in kind("HorizontalPodAutoscaler")}
    for file, chart in (("rasa-values.yaml", RASA), ("rasa-action-server-values.yaml", ACTIONS)):
        scaling, hpa = chart["autoscaling"], hpas[names[file]]
        cpu = hpa["metrics"][0]["resource"]["target"]["averageUtilization"]
        assert (hpa["minReplicas"], hpa["maxReplicas"], cpu) == (
            scaling["minReplicas"], scaling["maxReplicas"], scaling["targetCPUUtilizationPercentage"])
        assert chart["replicaCount"] == scaling["minReplicas"] >= 2
    assert kind("Deployment") and all(bridge["spec"]["replicas"] >= 2 for bridge in kind("Deployment"))


def test_telemetry_is_off_and_nothing_forbidden_is_written() -> None:
    switches = found(("telemetry", "enabled"))
    assert len(switches) == 2 and not any(switches)
    assert "RASA_TELEMETRY_ENABLED=false" in words(DOCKERFILES["rasa.Dockerfile"], "ENV")
    files = [*YAML_FILES, *(DEPLOY / "docker").glob("*.Dockerfile"), *DOCS]
    assert [(path.name, why) for path in files for why in forbidden(path.read_text())] == []


def import_closure(modules: list[str]) -> tuple[set[str], set[str]]:
    """Our files these modules (or classes' modules) reach through their imports, also those
    inside functions, and the top-level third-party packages those files import."""
    files, packages = set(), set()
    todo = [name if our_file(name) else name.rpartition(".")[0] for name in modules]
    while todo:
        module = todo.pop()
        if (relative := our_file(module).relative_to(ROOT).as_posix()) in files:
            continue
        files.add(relative)
        todo += [".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)]  # parents
        for node in ast.walk(ast.parse(our_file(module).read_text())):
            imported = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            todo += [name for name in imported if our_file(name)]
            packages |= {top for name in imported if (top := name.split(".")[0]) not in
                         ("bot", "actions", *sys.stdlib_module_names)}
    return files, packages


def packages_installed_by(names: list[str]) -> set[str]:
    """The top-level packages these distributions and all they require install."""
    seen, packages, todo = set(), set(), [canonical(name) for name in names]
    while todo:
        if (name := todo.pop()) not in seen and name in installed_distributions():
            seen.add(name)
            tops, requires = installed_distributions()[name]
            packages |= tops
            todo += requires
    return packages


def test_each_image_has_what_its_code_imports() -> None:
    """What each image runs (the channels, stores and components Rasa loads; the actions; the
    bridge) is copied in, and every package it imports comes with the base image or the
    image's pins. The actions do not need rasa, which the rasa-sdk image lacks, and the
    bridge does not either, so its image stays small."""
    project = {n: yaml.safe_load((ROOT / n).read_text()) for n in ("credentials.yml", "endpoints.yml")}
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    runs = {
        "rasa.Dockerfile": [*project["credentials.yml"], *(c["name"] for c in pipeline if "." in c["name"]),
                            *(project["endpoints.yml"][k]["type"] for k in ("tracker_store", "lock_store"))],
        "actions.Dockerfile": [f"actions.{path.stem}" for path in (ROOT / "actions").glob("*.py")],
        # `python -m bot telegram` imports only bot.settings, then the bridge.
        "telegram.Dockerfile": ["bot.settings", "bot.channels.telegram.bridge"],
        # `python -m bot messenger` imports bot.settings, then the bridge through its __main__.
        "messenger.Dockerfile": ["bot.settings", "bot.channels.messenger.__main__",
                                 "bot.channels.messenger.bridge", "bot.channels.messenger.setup"],
    }
    for name, modules in runs.items():
        steps, (files, packages) = DOCKERFILES[name], import_closure(modules)
        copied = copy_sources(steps)  # files, and directories ending in "/"
        covered = {f for f in files for c in copied if f == c or (c.endswith("/") and f.startswith(c))}
        assert sorted(files - covered) == [], name
        base = BASE_IMAGES[words(steps, "FROM")[0]]
        provided = packages_installed_by([*filter(None, [base]), *pins(words(steps, "RUN"))])
        assert sorted(packages - provided) == [], name
    assert "rasa" not in import_closure(runs["actions.Dockerfile"])[1]
    assert "rasa" not in import_closure(runs["telegram.Dockerfile"])[1]
    assert "rasa" not in import_closure(runs["messenger.Dockerfile"])[1]


def test_the_docs_do_not_claim_a_run() -> None:
    assert [(path.name, claims(path.read_text())) for path in DOCS if claims(path.read_text())] == []
    assert re.search(r"^#+ Not run here", (DEPLOY / "README.md").read_text(), re.M)
