"""The credentials board's pages (ban thẩm tra tư cách đại biểu): the review of every
convened person, the check-in desk that also issues voting badges, and the credentials
report with its PDF and its approval."""

from election.web.credentials.views import bp

__all__ = ["bp"]
