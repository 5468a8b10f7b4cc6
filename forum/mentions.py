"""@mentions (issue 5). OWNER: helper B2. PLACEHOLDER.

``mentioned_users(body)`` returns the members an @username in the text names (not in
code); forum.markup links them when rendering."""


def mentioned_users(body: str) -> list:
    return []
