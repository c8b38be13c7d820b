"""The direct-election chain and the first session's order (R-DIRECT-1..5, R-CONF-2)."""

from __future__ import annotations

import pytest

from election.rules import (
    Assembly,
    Chain,
    ChainError,
    Contest,
    ContestOutcome,
    Post,
    Profile,
    RoundStatus,
    RulesError,
    load_profile,
    refer_without_ballot,
)

CONGRESS = Assembly.MEMBERS_CONGRESS
SESSION = Assembly.COMMITTEE_SESSION


def done(
    post: Post, elected: str, assembly: Assembly = SESSION, direct: bool = False
) -> ContestOutcome:
    if post is Post.COMMITTEE:
        assembly, direct = CONGRESS, False
    contest = Contest(post.value, post, max(1, len(elected)), assembly, direct)
    return ContestOutcome(contest, tuple(elected), 0, RoundStatus.ALL_SEATS_FILLED, 1)


def test_each_post_is_chosen_from_the_body_elected_before_it() -> None:
    """R-DIRECT-2, R-CONF-2: committee → standing committee → secretary → deputies."""
    chain = Chain()
    assert chain.next_posts() == (Post.COMMITTEE,)
    assert chain.pool(Post.COMMITTEE) is None
    with pytest.raises(ChainError) as caught:
        chain.pool(Post.STANDING_COMMITTEE)
    assert caught.value.rule_id == "R-DIRECT-2"
    chain = chain.record(done(Post.COMMITTEE, "ABCDEFG"))
    assert chain.pool(Post.STANDING_COMMITTEE) == set("ABCDEFG")
    chain = chain.record(done(Post.STANDING_COMMITTEE, "ABC"))
    assert chain.pool(Post.SECRETARY) == set("ABC")
    chain = chain.record(done(Post.SECRETARY, "A"))
    assert chain.pool(Post.DEPUTY_SECRETARY) == {"B", "C"}  # the secretary is no deputy
    assert chain.next_posts() == (Post.DEPUTY_SECRETARY, Post.INSPECTION_COMMISSION)
    chain = chain.record(done(Post.DEPUTY_SECRETARY, "B"))
    assert chain.pool(Post.INSPECTION_COMMISSION) is None  # need not be committee members
    chain = chain.record(done(Post.INSPECTION_COMMISSION, "CXYZ"))
    assert chain.pool(Post.INSPECTION_CHAIR) == set("CXYZ")
    chain = chain.record(done(Post.INSPECTION_CHAIR, "X"))
    assert chain.pool(Post.INSPECTION_DEPUTY_CHAIR) == set("CYZ")


def test_order_is_enforced() -> None:
    """R-DIRECT-1: nothing before the committee; no going back; optional deputies may be skipped."""
    with pytest.raises(ChainError) as caught:
        Chain().record(done(Post.SECRETARY, "A"))
    assert caught.value.rule_id == "R-DIRECT-1"
    chain = Chain().record(done(Post.COMMITTEE, "ABCDE"))
    chain = chain.record(done(Post.STANDING_COMMITTEE, "ABC"))
    chain = chain.record(done(Post.SECRETARY, "A"))
    chain = chain.record(done(Post.INSPECTION_COMMISSION, "XYZ"))  # no deputy secretary
    with pytest.raises(ChainError):
        chain.record(done(Post.DEPUTY_SECRETARY, "B"))
    with pytest.raises(ChainError):
        chain.record(done(Post.COMMITTEE, "ABCDE"))


def test_elected_from_outside_the_pool_is_refused() -> None:
    chain = Chain().record(done(Post.COMMITTEE, "ABCDE"))
    with pytest.raises(ChainError) as caught:
        chain.record(done(Post.STANDING_COMMITTEE, "ABZ"))
    assert caught.value.rule_id == "R-DIRECT-2"


def test_without_a_standing_committee_the_secretary_comes_from_the_committee() -> None:
    """R-DIRECT-2: "or to the committee where there is no standing committee"."""
    chain = Chain(has_standing_committee=False).record(done(Post.COMMITTEE, "ABCDE"))
    assert chain.next_posts() == (Post.SECRETARY,)
    assert chain.pool(Post.SECRETARY) == set("ABCDE")


@pytest.mark.parametrize(
    ("post", "assembly", "direct"),
    [
        (Post.COMMITTEE, SESSION, False),
        (Post.OFFICIAL_DELEGATES, SESSION, False),
        (Post.SECRETARY, CONGRESS, False),
        (Post.INSPECTION_COMMISSION, CONGRESS, False),
        (Post.SECRETARY, SESSION, True),
        (Post.INSPECTION_CHAIR, CONGRESS, True),
    ],
)
def test_who_elects_what(post: Post, assembly: Assembly, direct: bool) -> None:
    """R-DIRECT-1, R-DIRECT-4, R-CONF-2: pilot posts directly only by a congress."""
    with pytest.raises(ValueError):
        Contest("c", post, 1, assembly, direct)


def test_contest_seats_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Contest("c", Post.COMMITTEE, 0, CONGRESS)
    with pytest.raises(ValueError):
        Contest("", Post.COMMITTEE, 3, CONGRESS)


def test_nominee_not_elected_to_the_body_is_referred(profile: Profile) -> None:
    """R-DIRECT-5: no second attempt at the congress; the higher committee decides."""
    secretary = Contest("bt", Post.SECRETARY, 1, CONGRESS, direct=True)
    outcome = refer_without_ballot(secretary, profile, {"A", "B", "C"}, "X")
    assert outcome.status is RoundStatus.REFERRED_TO_HIGHER_COMMITTEE
    assert (outcome.elected, outcome.vacancies, outcome.rounds) == ((), 1, 0)
    with pytest.raises(RulesError):
        refer_without_ballot(secretary, profile, {"A", "X"}, "X")
    with pytest.raises(RulesError):
        refer_without_ballot(Contest("bt", Post.SECRETARY, 1, SESSION), profile, {"A"}, "X")
    off = load_profile(
        profile.profile_id, overrides={"rounds": {"direct_secretary_failure_refers": False}}
    )
    with pytest.raises(RulesError):
        refer_without_ballot(secretary, off, {"A"}, "X")
