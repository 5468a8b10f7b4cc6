"""Writes: posting."""
