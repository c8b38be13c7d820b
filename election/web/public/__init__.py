"""Public pages: the welcome page and the health check, reachable without logging in."""

from election.web.public.views import bp

__all__ = ["bp"]
