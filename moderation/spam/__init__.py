"""Spam scoring: a learning token filter, explainable heuristics and optional Akismet,
combined by ``moderation.spam.scoring.spam_score``."""
