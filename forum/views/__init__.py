"""Forum pages, one module per subject (boards, threads, posts, notices, answers,
statuses, notifications, reading, search, contact, live fragments, profiles). Write views
with a form are config.views.CheckedFormViews; forum/urls.py names the modules."""
