"""Fresh PostgreSQL databases for the tests that need a database of their own (a server started
in a subprocess, a restore's empty target), created on the suite's server and dropped after."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse
from urllib.parse import urlunparse


@contextmanager
def fresh_databases(server: str, prefix: str, count: int = 1) -> Iterator[list[str]]:
    """``count`` new databases on ``server`` (a postgresql:// URL), as URLs; dropped on exit."""
    import psycopg

    names = [f"{prefix}_{secrets.token_hex(4)}" for _ in range(count)]
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [urlunparse(urlparse(server)._replace(path="/" + name)) for name in names]
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
