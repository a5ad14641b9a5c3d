"""Vetted content: the catalog model, its checks, and the Rasa data built from it."""
