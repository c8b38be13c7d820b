"""The presidium enrols the hall's voting terminals."""

from election.web.terminals.views import bp

__all__ = ["bp"]
