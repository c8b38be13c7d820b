"""The voting booth: the kiosk page and the JSON API the terminals call."""

from election.web.booth.views import bp

__all__ = ["bp"]
