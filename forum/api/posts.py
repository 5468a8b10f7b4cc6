"""Reading posts."""
