# « 6 déc. 2026, 14:05 »: French abbreviates months in lower case, with a full stop.
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
