"""Situation catalogue: schema, loader, matcher; defaults/*.yaml are the built-in situations."""
