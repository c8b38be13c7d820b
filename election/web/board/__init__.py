"""The public bulletin board: every round's ballots in order, with their hash chain."""

from election.web.board.views import bp

__all__ = ["bp"]
