"""Writes: flags."""
