"""RSS and Atom feeds (django.contrib.syndication). OWNER: helper C. PLACEHOLDER."""

# PLACEHOLDER: helper C adds the feed classes and their URLs to forum/urls.py (feed URLs:
# /b/<board_slug>/feed/rss/ and /atom/, /t/<thread_id>/feed/…, /u/<username>/feed/…,
# /search/feed/…).
