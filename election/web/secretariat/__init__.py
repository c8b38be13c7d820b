"""The secretariat's setup pages: congress overview, roster import, candidate lists."""

from election.web.secretariat.views import bp

__all__ = ["bp"]
