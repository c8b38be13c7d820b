"""The election chain: committee → standing committee → secretary → deputies → inspection.

R-DIRECT-1 (pilot, at the congress) and R-CONF-2 (first session of the new committee) give
the same order, and each post is chosen from the body elected just before it (R-DIRECT-2):
the standing committee from the new committee, the secretary and the deputy secretaries
from the new standing committee (or the committee where there is no standing committee),
the inspection commission's chair and deputy chairs from the commission. The inspection
commission itself need not come from the committee (practice, UNCONFIRMED as text).

``Chain`` is an immutable record of what has been concluded; ``record`` returns a new one.
Who votes (the congress in the pilot, the committee otherwise) is the ``Contest``'s
business; the majority base of a direct election is the congress's N (R-DIRECT-4).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from election.rules.contests import Post
from election.rules.errors import ChainError, RulesError
from election.rules.results import ContestOutcome, RoundStatus

if TYPE_CHECKING:
    from election.rules.contests import Contest
    from election.rules.profiles import Profile

__all__ = ["CHAIN_ORDER", "Chain", "refer_without_ballot"]

#: The order of R-DIRECT-1 and R-CONF-2.
CHAIN_ORDER = (
    Post.COMMITTEE,
    Post.STANDING_COMMITTEE,
    Post.SECRETARY,
    Post.DEPUTY_SECRETARY,
    Post.INSPECTION_COMMISSION,
    Post.INSPECTION_CHAIR,
    Post.INSPECTION_DEPUTY_CHAIR,
)
#: Posts that are filled only where the approved number of seats is not zero.
_OPTIONAL = frozenset({Post.DEPUTY_SECRETARY, Post.INSPECTION_DEPUTY_CHAIR})
#: The body each post is chosen from (R-DIRECT-2, R-CONF-2).
_SOURCE = {
    Post.STANDING_COMMITTEE: Post.COMMITTEE,
    Post.SECRETARY: Post.STANDING_COMMITTEE,
    Post.DEPUTY_SECRETARY: Post.STANDING_COMMITTEE,
    Post.INSPECTION_CHAIR: Post.INSPECTION_COMMISSION,
    Post.INSPECTION_DEPUTY_CHAIR: Post.INSPECTION_COMMISSION,
}
#: A person holds one office: the secretary is no deputy, the chair no deputy chair.
_HELD_ALREADY = {
    Post.DEPUTY_SECRETARY: Post.SECRETARY,
    Post.INSPECTION_DEPUTY_CHAIR: Post.INSPECTION_CHAIR,
}


@dataclass(frozen=True)
class Chain:
    """The posts concluded so far, in order, with the people elected to each."""

    has_standing_committee: bool = True
    concluded: tuple[tuple[Post, tuple[str, ...]], ...] = ()

    @property
    def order(self) -> tuple[Post, ...]:
        return tuple(
            p
            for p in CHAIN_ORDER
            if self.has_standing_committee or p is not Post.STANDING_COMMITTEE
        )

    def elected(self, post: Post) -> tuple[str, ...] | None:
        """Who was elected to ``post``, or ``None`` if it is not concluded yet."""
        for done, people in self.concluded:
            if done is post:
                return people
        return None

    def pool(self, post: Post) -> frozenset[str] | None:
        """The people ``post`` may be chosen from; ``None`` when it is not restricted.

        R-DIRECT-2: raises ``ChainError`` when the body it is chosen from is not elected yet.
        """
        source = _SOURCE.get(post)
        if source is None:
            return None
        if source is Post.STANDING_COMMITTEE and not self.has_standing_committee:
            source = Post.COMMITTEE
        people = self.elected(source)
        if people is None:
            raise ChainError(
                f"the {post.value} is chosen from the {source.value}, which is not elected yet",
                rule_id="R-DIRECT-2",
            )
        held = self.elected(_HELD_ALREADY[post]) if post in _HELD_ALREADY else None
        return frozenset(people) - frozenset(held or ())

    def next_posts(self) -> tuple[Post, ...]:
        """The posts that may be concluded next (an optional post may be skipped)."""
        done = {p for p, _ in self.concluded}
        result = []
        for post in self.order:
            if post in done:
                continue
            result.append(post)
            if post not in _OPTIONAL:
                break
        if done and result:
            last = max(self.order.index(p) for p in done)
            result = [p for p in result if self.order.index(p) > last]
        return tuple(result)

    def record(self, outcome: ContestOutcome) -> Chain:
        """Return the chain with ``outcome``'s post concluded (R-DIRECT-1, R-DIRECT-2).

        Raises ``ChainError`` if the post comes out of order or someone elected is not in
        the post's pool. A referred secretary vote concludes the post with nobody elected.
        """
        post = outcome.contest.post
        if post not in self.next_posts():
            raise ChainError(
                f"{post.value} cannot be concluded now; next: "
                f"{', '.join(p.value for p in self.next_posts()) or 'nothing'}",
                rule_id="R-DIRECT-1",
            )
        pool = self.pool(post)
        if pool is not None and not set(outcome.elected) <= pool:
            outside = sorted(set(outcome.elected) - pool)
            raise ChainError(
                f"elected to {post.value} from outside its body: {outside}", rule_id="R-DIRECT-2"
            )
        return Chain(self.has_standing_committee, (*self.concluded, (post, outcome.elected)))


def refer_without_ballot(
    contest: Contest, profile: Profile, pool: Collection[str], nominee: str
) -> ContestOutcome:
    """Close a direct secretary contest without a ballot when the nominee is not in the pool.

    R-DIRECT-5: if the personnel plan's nominee for secretary was not elected to the body the
    secretary is chosen from, the congress does not try again; the matter is referred to
    the higher committee (a profile setting, UNCONFIRMED). Raises ``RulesError`` when the
    nominee is in the pool (hold the ballot) or the contest is not a direct secretary vote.
    """
    if not (contest.direct and contest.post is Post.SECRETARY):
        raise RulesError("only a direct secretary election is referred", rule_id="R-DIRECT-5")
    if not profile.rounds.direct_secretary_failure_refers:
        raise RulesError(
            f"profile {profile.profile_id} does not refer failed direct secretary votes",
            rule_id="R-DIRECT-5",
        )
    if nominee in pool:
        raise RulesError(f"{nominee} is eligible; hold the ballot", rule_id="R-DIRECT-5")
    return ContestOutcome(
        contest, (), contest.seats, RoundStatus.REFERRED_TO_HIGHER_COMMITTEE, rounds=0
    )
