"""Boundary core: platform-neutral commands, content, privacy screen and services."""
