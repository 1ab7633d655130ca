"""The identifier screen: finds client identifiers in consultation text before it is shared.

Offline and deterministic: regular expressions and small word lists shipped in ``data/``.
``screen(text)`` returns a ``Screening``; never log the text or the findings' text.
"""

from __future__ import annotations

from .finding import Finding, Screening
from .screen import screen

__all__ = ["Finding", "Screening", "screen"]
