"""Lessons (being split into modules)."""
