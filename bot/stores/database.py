"""The PostgreSQL database a local start needs, made by the launcher before it starts the
servers. Apart from the tracker store, so that the launcher never imports Rasa."""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlparse

logger = logging.getLogger(__name__)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it is missing, as a local start needs;
    a deployment provisions its own. Best effort: Rasa reports what is still wrong."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg2

    name = parsed.path.lstrip("/") or "kalasag"
    try:
        connection = psycopg2.connect(
            host=parsed.hostname or "localhost", port=parsed.port or 5432, dbname="postgres",
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None, connect_timeout=5,
        )
    except psycopg2.Error:
        return
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    except psycopg2.Error as error:
        logger.warning("could not create database %s (%s)", name, type(error).__name__)
    finally:
        connection.close()
