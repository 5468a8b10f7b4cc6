"""Queries whose SQL is built once per process and database.

Some queries run on every signed-in page and are built from many subqueries; the ORM
spends more CPU building their SQL than the database spends answering them. Such a query
is built once with stand-in values, unlikely to occur anywhere else in its parameters,
and each run swaps the stand-ins for the real values (adapted for the database the way
the ORM adapts them)."""

from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from django.db import connection


def _adapt(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class CompiledQuery:
    def __init__(self, build: Callable, **stand_ins) -> None:
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple[str, tuple, dict]] = {}

    def fetchone(self, **values) -> tuple | None:
        with self._run(values) as cursor:
            return cursor.fetchone()

    def fetchall(self, **values) -> list[tuple]:
        with self._run(values) as cursor:
            return cursor.fetchall()

    @contextmanager
    def _run(self, values: dict):
        vendor = connection.vendor
        if vendor not in self._compiled:
            sql, params = self._build(**self._stand_ins).query.sql_with_params()
            names = {_adapt(value): name for name, value in self._stand_ins.items()}
            self._compiled[vendor] = (sql, params, names)
        sql, params, names = self._compiled[vendor]
        real = {key: _adapt(values[name]) for key, name in names.items()}
        with connection.cursor() as cursor:
            cursor.execute(sql, [real.get(param, param) for param in params])
            yield cursor
