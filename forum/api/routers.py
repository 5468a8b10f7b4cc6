"""One router per subject. A subject's reads and writes live in different modules but
register on the same router, so one path answers GET and POST alike."""

from ninja import Router

boards = Router(tags=["Boards"])
threads = Router(tags=["Threads"])
posts = Router(tags=["Posts"])
members = Router(tags=["Members"])
search = Router(tags=["Search"])
notices = Router(tags=["Notices"])
review = Router(tags=["Moderation"])
me = Router(tags=["Me"])
