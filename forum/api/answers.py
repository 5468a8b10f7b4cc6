"""Writes: answers."""
