"""The counting board (ban kiểm phiếu): the key ceremony, counting and decrypting rounds,
results and the vote-count minutes (issue 6)."""

from election.web.counting.views import bp

__all__ = ["bp"]
