"""Reading notices."""
