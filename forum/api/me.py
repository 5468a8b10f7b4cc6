"""Reading me."""
