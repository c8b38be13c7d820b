"""Candidate lists (R-LIST-1..10, R-DIRECT-2) and the Vietnamese A-B-C order."""

from __future__ import annotations

from fractions import Fraction

import pytest

from election.rules import (
    Assembly,
    Candidate,
    CandidateListError,
    ListEntry,
    Membership,
    Nominator,
    PersonName,
    Post,
    Profile,
    Source,
    abc_order,
    check_candidate_list,
    cut_to_ceiling,
    floor_nominee_passes,
    load_profile,
    surplus_bounds,
)
from tests.rules.factories import candidate, contest

MEMBERS = Assembly.MEMBERS_CONGRESS
SESSION = Assembly.COMMITTEE_SESSION


def official(*people: str, **facts: object) -> list[ListEntry]:
    return [ListEntry(candidate(p, **facts)) for p in people]


def floor(
    person: str, agree: int, nominator: Nominator | None = None, **facts: object
) -> ListEntry:
    return ListEntry(
        candidate(person, **facts), Source.FLOOR, nominator or Nominator("n1"), opinion_agree=agree
    )


def rule_of(excinfo: pytest.ExceptionInfo[CandidateListError]) -> str:
    return excinfo.value.rule_id


# ------------------------------------------------------------------------------- R-LIST-1


@pytest.mark.parametrize(
    ("seats", "max_surplus", "recommended"),
    [
        (3, 1, (1,)),  # 30 % of 3 is 0.9: one person is always allowed
        (5, 1, (1,)),  # 10-15 % of 5 is 0.5-0.75: nearest whole number >= 1
        (7, 2, (1,)),
        (9, 2, (1,)),
        (10, 3, (1,)),
        (12, 3, (1,)),  # 1.2-1.8: 1 and 2 are equally near; the smaller is named
        (13, 3, (2,)),  # 1.3-1.95: 2 is nearer
        (20, 6, (2, 3)),
        (53, 15, (6, 7)),
    ],
)
def test_surplus_bounds(profile: Profile, seats: int, max_surplus: int, recommended: tuple) -> None:
    """R-LIST-1: max(1, floor(30 % of seats)); the 10-15 % band in whole people."""
    bounds = surplus_bounds(seats, profile)
    assert bounds.max_surplus == max_surplus
    assert bounds.proposal_recommended == recommended
    assert bounds.proposal_low == Fraction(seats, 10)


def test_committee_needs_a_surplus(profile: Profile) -> None:
    """R-LIST-1: committee and standing committee lists need more names than seats."""
    for post, assembly in ((Post.COMMITTEE, MEMBERS), (Post.STANDING_COMMITTEE, SESSION)):
        with pytest.raises(CandidateListError) as caught:
            check_candidate_list(
                contest(3, post=post, assembly=assembly), official(*"ABC"), profile
            )
        assert rule_of(caught) == "R-LIST-1"


def test_surplus_ceiling(profile: Profile) -> None:
    """R-LIST-1: at most 30 % (9 seats: 2), but one person always (3 seats: 1)."""
    check_candidate_list(contest(9), official(*"ABCDEFGHIJK"), profile)
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(contest(9), official(*"ABCDEFGHIJKL"), profile)
    assert rule_of(caught) == "R-LIST-1" and "cut the list back" in str(caught.value)
    check_candidate_list(contest(3), official(*"ABCD"), profile)
    with pytest.raises(CandidateListError):
        check_candidate_list(contest(3), official(*"ABCDE"), profile)


def test_small_body_minimum_is_a_setting(profile: Profile) -> None:
    """R-LIST-1 (SECONDARY setting small_body_min_surplus)."""
    strict = load_profile(profile.profile_id, overrides={"lists": {"small_body_min_surplus": 0}})
    with pytest.raises(CandidateListError):
        check_candidate_list(contest(3), official(*"ABCD"), strict)


def test_proposal_band_only_warns(profile: Profile) -> None:
    """R-LIST-1: the convening committee's own list outside 10-15 % gives a warning."""
    entries = [*official(*"ABCDEFGHI"), floor("J", 40), floor("K", 40)]
    checked = check_candidate_list(contest(9), entries, profile, attending=80)
    assert [w.rule_id for w in checked.warnings] == ["R-LIST-1"]
    assert "surplus of 0" in checked.warnings[0].message
    assert check_candidate_list(contest(9), official(*"ABCDEFGHIJ"), profile).warnings == ()
    assert check_candidate_list(contest(9), official(*"ABCDEFGHIJK"), profile).warnings


def test_further_round_is_not_held_to_the_surplus_limits(profile: Profile) -> None:
    """R-LIST-1 (UNCONFIRMED setting surplus_limits_in_further_rounds, default off)."""
    c = contest(9)
    checked = check_candidate_list(c, official("R"), profile, seats=1, first_round=False)
    assert checked.form.kind == "agree_disagree"
    strict = load_profile(
        profile.profile_id, overrides={"lists": {"surplus_limits_in_further_rounds": True}}
    )
    with pytest.raises(CandidateListError):
        check_candidate_list(c, official("R"), strict, seats=1, first_round=False)


# ------------------------------------------------------------------------------- R-LIST-9


@pytest.mark.parametrize(
    ("post", "seats", "names"),
    [
        (Post.SECRETARY, 1, "A"),
        (Post.DEPUTY_SECRETARY, 3, "ABC"),
        (Post.INSPECTION_COMMISSION, 5, "ABCDE"),
        (Post.INSPECTION_CHAIR, 1, "A"),
        (Post.SECRETARY, 1, "AB"),  # a surplus is allowed, not required
    ],
)
def test_other_posts_need_no_surplus(profile: Profile, post: Post, seats: int, names: str) -> None:
    """R-LIST-9: single-name and no-surplus lists for posts other than the two bodies."""
    checked = check_candidate_list(
        contest(seats, post=post, assembly=SESSION), official(*names), profile
    )
    assert checked.form.kind == ("cross_out" if len(names) > seats else "agree_disagree")


def test_fewer_names_than_seats_is_refused(profile: Profile) -> None:
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(
            contest(3, post=Post.DEPUTY_SECRETARY, assembly=SESSION), official(*"AB"), profile
        )
    assert rule_of(caught) == "R-LIST-9"


def test_empty_and_duplicate_lists(profile: Profile) -> None:
    """R-LIST-2: the list is a list of distinct people."""
    with pytest.raises(CandidateListError):
        check_candidate_list(contest(3), [], profile)
    with pytest.raises(CandidateListError):
        check_candidate_list(contest(3), official(*"ABCA"), profile)


# ------------------------------------------------------------------------------- R-LIST-3


def test_floor_nominee_needs_more_than_30_percent(profile: Profile) -> None:
    """R-LIST-3: 10 * agree > 3 * attending, strictly."""
    assert floor_nominee_passes(25, 80, profile) and not floor_nominee_passes(24, 80, profile)
    assert floor_nominee_passes(31, 100, profile) and not floor_nominee_passes(30, 100, profile)
    with pytest.raises(ValueError):
        floor_nominee_passes(81, 80, profile)
    base = official(*"ABCDEFGHI")
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(contest(9), [*base, floor("K", 24)], profile, attending=80)
    assert rule_of(caught) == "R-LIST-3"
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(contest(9), [*base, floor("K", 50)], profile)  # no attendance given
    assert rule_of(caught) == "R-LIST-3"
    selfie = ListEntry(candidate("K"), Source.SELF, opinion_agree=25)
    check_candidate_list(contest(9), [*base, selfie], profile, attending=80)


def test_cut_to_ceiling_never_breaks_ties(profile: Profile) -> None:
    """R-LIST-3: an over-long list is cut back by agreement; a tie at the cut is returned."""
    agreement = {"A": 70, "B": 65, "C": 60, "D": 55, "E": 50}
    assert cut_to_ceiling(agreement, 3, profile).kept == ("A", "B", "C", "D")  # 3 + 1
    cut = cut_to_ceiling({**agreement, "D": 50}, 3, profile)
    assert (cut.kept, cut.tied, cut.tied_places, cut.dropped) == (
        ("A", "B", "C"),
        ("D", "E"),
        1,
        (),
    )
    assert cut_to_ceiling({"A": 1, "B": 1}, 3, profile).kept == ("A", "B")


# ------------------------------------------------------------------------------- R-LIST-4, R-LIST-5


def test_members_congress_probationary_members_may_nominate(profile: Profile) -> None:
    """R-LIST-4, R-DELEG-2: official, probationary and attached members nominate officials."""
    c = contest(3, assembly=MEMBERS)
    for membership in Membership:
        nominator = Nominator("n", membership=membership, delegate=False)
        check_candidate_list(
            c, [*official(*"ABC"), floor("D", 40, nominator)], profile, attending=50
        )


def test_delegates_congress_nomination_rules(profile: Profile) -> None:
    """R-LIST-4: at a delegates' congress only official delegates nominate, and delegates
    to the higher congress are chosen among official delegates."""
    c = contest(3)
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(
            c,
            [*official(*"ABC"), floor("D", 40, Nominator("n", delegate=False))],
            profile,
            attending=50,
        )
    assert rule_of(caught) == "R-LIST-4"
    delegation = contest(2, post=Post.OFFICIAL_DELEGATES)
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(
            delegation, [*official("A", "B"), *official("C", delegate=False)], profile
        )
    assert rule_of(caught) == "R-LIST-4"


def test_non_delegate_committee_candidate_needs_a_dossier(profile: Profile) -> None:
    """R-LIST-7: a non-delegate stands for the committee with an application or dossier."""
    c = contest(3)
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(c, [*official(*"ABC"), *official("D", delegate=False)], profile)
    assert rule_of(caught) == "R-LIST-7"
    check_candidate_list(
        c, [*official(*"ABC"), *official("D", delegate=False, dossier_filed=True)], profile
    )


def test_convening_committee_members_are_bound_to_its_list(profile: Profile) -> None:
    """R-LIST-5: they may not nominate outside the list, nor stand unless on it."""
    c = contest(3)
    insider = Nominator("n", in_list_owner_body=True)
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(c, [*official(*"ABC"), floor("D", 40, insider)], profile, attending=50)
    assert rule_of(caught) == "R-LIST-5"
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(
            c, [*official(*"ABC"), floor("D", 40, in_list_owner_body=True)], profile, attending=50
        )
    assert rule_of(caught) == "R-LIST-5"
    # On the committee's own list, a member of the committee stands normally.
    check_candidate_list(c, official("A", "B", "C", "D", in_list_owner_body=True), profile)


def test_entry_shapes_are_checked(profile: Profile) -> None:
    c = contest(3)
    with pytest.raises(ValueError):
        check_candidate_list(c, [ListEntry(candidate("A"), nominator=Nominator("n"))], profile)
    with pytest.raises(ValueError):
        check_candidate_list(c, [ListEntry(candidate("A"), Source.FLOOR, opinion_agree=3)], profile)
    with pytest.raises(ValueError):
        check_candidate_list(
            c, [ListEntry(candidate("A"), Source.SELF, Nominator("n"), opinion_agree=3)], profile
        )


# ------------------------------------------------------------------------------- R-LIST-6


@pytest.mark.parametrize(
    "facts",
    [
        {"membership": Membership.PROBATIONARY},
        {"membership": Membership.ATTACHED},
        {"ineligible": ("suspended from party activity",)},
    ],
)
def test_ineligible_candidates(profile: Profile, facts: dict) -> None:
    """R-LIST-6: probationary and attached members, and personnel-rule bars."""
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(contest(3), [*official(*"ABC"), *official("D", **facts)], profile)
    assert rule_of(caught) == "R-LIST-6"


# ------------------------------------------------------------------------------- R-DIRECT-2


def test_pool_restricts_the_list(profile: Profile) -> None:
    """R-DIRECT-2: a name outside the newly elected body is refused."""
    c = contest(1, post=Post.SECRETARY, assembly=SESSION)
    check_candidate_list(c, official("A"), profile, pool={"A", "B"})
    with pytest.raises(CandidateListError) as caught:
        check_candidate_list(c, official("Z"), profile, pool={"A", "B"})
    assert rule_of(caught) == "R-DIRECT-2"


# ------------------------------------------------------------------------------- R-LIST-10


def names(*full: str) -> list[Candidate]:
    return [Candidate(str(i), PersonName.parse(f)) for i, f in enumerate(full)]


def test_abc_order_by_given_name_with_vietnamese_letters_and_tones(profile: Profile) -> None:
    """R-LIST-10: tên, then họ, then tên đệm; a < ă < â, d < đ, o < ô < ơ; tones last."""
    expected = [
        "Trần Văn An",
        "Phạm Đức Anh",
        "Lê Thị Ánh",
        "Hoàng Văn Ân",
        "Đỗ Thị Ba",
        "Vũ Văn Bá",
        "Lý Văn Bạ",
        "Lê Văn Bình",
        "Lý Văn Dũng",
        "Ngô Văn Đức",
        "Trần Văn Hồ",
        "Trần Văn Hơn",
        "Lê Thị Lan",
        "Nguyễn Thị Lan",
        "Nguyễn Văn Lan",
        "Nguyễn Văn Út",
        "Nguyễn Văn Ưng",
    ]
    shuffled = names(*reversed(expected))
    assert [c.name.full for c in abc_order(shuffled, profile)] == expected


def test_tone_order_is_the_dictionary_order(profile: Profile) -> None:
    """R-LIST-10: ngang, huyền, hỏi, ngã, sắc, nặng."""
    expected = ["Lê Văn Ma", "Lê Văn Mà", "Lê Văn Mả", "Lê Văn Mã", "Lê Văn Má", "Lê Văn Mạ"]
    assert [c.name.full for c in abc_order(names(*reversed(expected)), profile)] == expected


def test_decomposed_input_sorts_like_composed(profile: Profile) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Lê Văn Ấn")
    ordered = abc_order(names(nfd, "Lê Văn Ăn", "Lê Văn An"), profile)
    assert [unicodedata.normalize("NFC", c.name.full) for c in ordered] == [
        "Lê Văn An",
        "Lê Văn Ăn",
        "Lê Văn Ấn",
    ]


def test_name_order_is_a_setting(profile: Profile) -> None:
    by_family = load_profile(
        profile.profile_id, overrides={"lists": {"name_order": ["family", "middle", "given"]}}
    )
    people = names("Trần Văn An", "Lê Văn Bình")
    assert [c.name.given for c in abc_order(people, profile)] == ["An", "Bình"]
    assert [c.name.given for c in abc_order(people, by_family)] == ["Bình", "An"]


def test_homonyms_need_a_note(profile: Profile) -> None:
    """R-LIST-10 / R-BALLOT-1: two identical full names must be told apart on the ballot."""
    twins = [
        Candidate("1", PersonName.parse("Nguyễn Văn Hùng")),
        Candidate("2", PersonName.parse("Nguyễn Văn Hùng")),
    ]
    with pytest.raises(CandidateListError):
        abc_order(twins, profile)
    noted = [
        Candidate("1", PersonName.parse("Nguyễn Văn Hùng"), note="1975"),
        Candidate("2", PersonName.parse("Nguyễn Văn Hùng"), note="1968"),
    ]
    assert [c.person_id for c in abc_order(noted, profile)] == ["2", "1"]


def test_name_parsing() -> None:
    name = PersonName.parse("  Nguyễn  Thị Minh   Khai ")
    assert (name.family, name.middle, name.given, name.full) == (
        "Nguyễn",
        "Thị Minh",
        "Khai",
        "Nguyễn Thị Minh Khai",
    )
    assert PersonName.parse("Lê Duẩn").middle == ""
    with pytest.raises(ValueError):
        PersonName.parse("Khai")
