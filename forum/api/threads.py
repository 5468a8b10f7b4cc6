"""Reading threads."""
