"""The presidium's console (đoàn chủ tịch): agenda, quorum, open votes, round controls."""

from election.web.presidium.views import bp

__all__ = ["bp"]
