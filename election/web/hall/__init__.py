"""The hall screen: the projector's page and its public JSON (counts and announced results)."""

from election.web.hall.views import bp

__all__ = ["bp"]
