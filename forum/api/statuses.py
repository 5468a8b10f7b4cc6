"""Writes: statuses."""
