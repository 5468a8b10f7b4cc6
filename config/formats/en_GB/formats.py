# "6 Dec 2026, 14:05": the 24-hour clock the site has always shown.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
