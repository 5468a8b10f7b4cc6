"""Porchlight's database backend: Django's PostgreSQL backend, failing fast when the server
is unreachable (see base.py). Used as ENGINE "config.db" when the connection pool is on."""
