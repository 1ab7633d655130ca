"""Boundary test suite."""
