"""Bulk loading for data-set commands: a progress bar and a row writer that uses COPY on
PostgreSQL and batched INSERTs elsewhere."""

import sys
import time
from datetime import datetime

from django.db import connection


class Progress:
    """A carriage-return progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int, stream=sys.stderr) -> None:
        self.label, self.total, self.done, self.stream = label, max(total, 1), 0, stream
        self.started = time.monotonic()
        self._shown = -1

    def advance(self, count: int = 1) -> None:
        self.done += count
        percent = min(100, self.done * 100 // self.total)
        if percent != self._shown:
            self._shown = percent
            bar = "#" * (percent // 4)
            elapsed = time.monotonic() - self.started
            self.stream.write(
                f"\r{self.label:<10} [{bar:<25}] {percent:3d}% {self.done:>9,}/{self.total:,}"
                f" {elapsed:6.1f}s"
            )
            self.stream.flush()

    def close(self) -> None:
        self.advance(0)
        self.stream.write("\n")
        self.stream.flush()


class RowSink:
    """COPY on PostgreSQL, batched INSERTs elsewhere, for rows as tuples of columns."""

    BATCH = 2000

    def __init__(self, table: str, columns: list[str], progress: Progress) -> None:
        self.table, self.columns, self.progress = table, columns, progress

    def write(self, rows) -> None:
        cols = ", ".join(self.columns)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.progress.advance()
            return
        marks = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {self.table} ({cols}) VALUES ({marks})"  # noqa: S608
        batch = []
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(adapt(v) if isinstance(v, datetime) else v for v in row))
                if len(batch) >= self.BATCH:
                    cursor.executemany(sql, batch)
                    self.progress.advance(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                self.progress.advance(len(batch))
