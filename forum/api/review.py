"""Writes: review."""
