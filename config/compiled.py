"""Queries whose SQL is built once per process and database.

Some queries run on every signed-in page and are built from many subqueries; the ORM
spends more CPU building their SQL than the database spends answering them. Such a query
is built once with stand-in values, unlikely to occur anywhere else in its parameters,
and each run swaps the stand-ins for the real values (adapted for the database the way
the ORM adapts them)."""

from collections.abc import Callable
from datetime import datetime

from django.db import connection


def _adapt(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class CompiledQuery:
    """``converted``: rows come back as the ORM would read them (aware datetimes on
    SQLite, decoded JSON), for callers that build model instances from them."""

    def __init__(self, build: Callable, *, converted: bool = False, **stand_ins) -> None:
        self._build = build
        self._converted = converted
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple[str, tuple, dict, object, dict]] = {}

    def fetchone(self, **values) -> tuple | None:
        rows = self.fetchall(**values)
        return rows[0] if rows else None

    def fetchall(self, **values) -> list[tuple]:
        vendor = connection.vendor
        if vendor not in self._compiled:
            compiler = self._build(**self._stand_ins).query.get_compiler(connection.alias)
            sql, params = compiler.as_sql()
            names = {_adapt(value): name for name, value in self._stand_ins.items()}
            converters = (
                compiler.get_converters([column[0] for column in compiler.select])
                if self._converted
                else {}
            )
            self._compiled[vendor] = (sql, params, names, compiler, converters)
        sql, params, names, compiler, converters = self._compiled[vendor]
        real = {key: _adapt(values[name]) for key, name in names.items()}
        with connection.cursor() as cursor:
            cursor.execute(sql, [real.get(param, param) for param in params])
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows
