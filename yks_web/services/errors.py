"""The one exception shape of the domain: a message to show, and ways out where the guide gives them."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, ways: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.ways = ways
