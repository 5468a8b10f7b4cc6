"""Reading members."""
