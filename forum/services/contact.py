"""The /help contact form's private messages to staff (issue 5). OWNER: helper D.
PLACEHOLDER."""
