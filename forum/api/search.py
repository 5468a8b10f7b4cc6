"""Reading search."""
