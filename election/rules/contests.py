"""What is being elected and by whom: assemblies, posts and contests.

These small types are shared by every other module of the engine. A *contest* is the
election of one post (a body or an office) with a planned number of seats by one assembly;
it may take several rounds (``election.rules.results``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from election.rules.values import is_whole

__all__ = ["Assembly", "Contest", "Post"]


class Assembly(StrEnum):
    """Who votes; this fixes how N is computed (R-RESULT-2, R-RESULT-3, R-RESULT-4)."""

    #: Đại hội đảng viên: every member attends, official members vote (R-DELEG-2, R-RESULT-2).
    MEMBERS_CONGRESS = "members_congress"
    #: Đại hội đại biểu: convened official delegates vote (R-DELEG-1, R-RESULT-3).
    DELEGATES_CONGRESS = "delegates_congress"
    #: A session of a committee, e.g. the new committee's first session (R-RESULT-4, R-CONF-2).
    COMMITTEE_SESSION = "committee_session"

    @property
    def is_congress(self) -> bool:
        return self is not Assembly.COMMITTEE_SESSION


class Post(StrEnum):
    """A body or an office filled by election."""

    COMMITTEE = "committee"
    STANDING_COMMITTEE = "standing_committee"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    INSPECTION_COMMISSION = "inspection_commission"
    INSPECTION_CHAIR = "inspection_chair"
    INSPECTION_DEPUTY_CHAIR = "inspection_deputy_chair"
    OFFICIAL_DELEGATES = "official_delegates"
    ALTERNATE_DELEGATES = "alternate_delegates"

    @property
    def is_delegation(self) -> bool:
        return self in (Post.OFFICIAL_DELEGATES, Post.ALTERNATE_DELEGATES)


#: Posts a congress may elect directly only in the pilot (R-DIRECT-1); otherwise the new
#: committee's first session elects them (R-CONF-2).
DIRECT_PILOT_POSTS = frozenset({Post.STANDING_COMMITTEE, Post.SECRETARY, Post.DEPUTY_SECRETARY})

#: Posts a congress elects in every case: its committee (R-CONF-2) and its delegates to the
#: higher congress (R-HIGHER-1).
CONGRESS_POSTS = frozenset({Post.COMMITTEE, Post.OFFICIAL_DELEGATES, Post.ALTERNATE_DELEGATES})


@dataclass(frozen=True)
class Contest:
    """The election of ``post`` with ``seats`` seats by ``assembly``.

    ``direct`` marks the pilot in which the congress itself elects the standing committee,
    the secretary or a deputy secretary (R-DIRECT-1); the majority base is then the
    congress's N, not the committee's (R-DIRECT-4).
    """

    contest_id: str
    post: Post
    seats: int
    assembly: Assembly
    direct: bool = False

    def __post_init__(self) -> None:
        if not self.contest_id:
            raise ValueError("a contest needs a contest_id")
        if not is_whole(self.seats, low=1):
            raise ValueError(f"seats must be a positive integer, got {self.seats!r}")
        post, assembly = Post(self.post), Assembly(self.assembly)
        if self.direct:
            # R-DIRECT-1, R-DIRECT-4: only the pilot posts are elected directly, and only
            # by a congress.
            if post not in DIRECT_PILOT_POSTS:
                raise ValueError(f"{post} is not a post of the direct-election pilot (R-DIRECT-1)")
            if not assembly.is_congress:
                raise ValueError("a direct election is held by the congress (R-DIRECT-4)")
        elif post in CONGRESS_POSTS:
            if not assembly.is_congress:
                raise ValueError(f"{post} is elected by a congress (R-CONF-2, R-HIGHER-1)")
        elif assembly.is_congress:
            # R-CONF-2: outside the pilot the committee's first session elects these posts.
            raise ValueError(f"{post} is elected by a committee session unless direct (R-CONF-2)")
