"""Operator sign-in and sign-out."""

from election.web.auth.views import bp

__all__ = ["bp"]
