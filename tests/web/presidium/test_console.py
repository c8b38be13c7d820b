"""The presidium's console: agenda, quorum, open votes, withdrawals and round controls.

Access by role is the matrix's business (tests/web/test_access_matrix.py); these tests
check what each page shows and what each action records, that refusals by a service
become Vietnamese sentences rather than errors, and that forms without a CSRF token
change nothing.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from election.models import (
    Matter,
    Nomination,
    NominationStatus,
    OpenVote,
    Role,
    Round,
    RoundState,
    Withdrawal,
)
from election.services import rounds
from election.services.base import SYSTEM
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import Pilot, audit_html, db_session, load_round, seed_pilot


@pytest.fixture
def pilot(web: WebFixture) -> Pilot:
    return seed_pilot(web)


@pytest.fixture
def client(web: WebFixture) -> FlaskClient:
    c = web.app.test_client()
    web.login(c, Role.PRESIDIUM)
    return c


def _counts(**overrides: Any) -> dict[str, Any]:
    data = {"present": 12, "agree": 10, "disagree": 1, "abstain": 1}
    data.update(overrides)
    return data


def _prefixed(prefix: str, data: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}-{key}": value for key, value in data.items()}


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _votes(web: WebFixture) -> list[OpenVote]:
    with db_session(web) as db:
        return list(db.scalars(sa.select(OpenVote).order_by(OpenVote.id)))


def _round_state(web: WebFixture, round_id: int) -> RoundState:
    with db_session(web) as db:
        round_ = db.get(Round, round_id)
        assert round_ is not None
        return round_.state


# ------------------------------------------------------------------------------- pages


def test_console_shows_agenda_in_order_and_quorum(client: FlaskClient, pilot: Pilot) -> None:
    response = client.get("/presidium/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    # The chain: committee, then standing committee, then secretary (R-DIRECT-1).
    assert (
        text.index("Ủy viên Ban Chấp hành")
        < text.index("Ủy viên Ban Thường vụ")
        < text.index("Bí thư Đảng ủy")
    )
    assert "Lần 1: Dự thảo" in text
    assert "Đủ túc số" in text
    assert 'data-testid="quorum-present">12<' in html
    assert "Thứ tự bầu chưa đúng" not in text
    assert audit_html(html) == []


def test_console_before_anything_is_set_up(client: FlaskClient) -> None:
    text = _text(client.get("/presidium/").get_data(as_text=True))
    assert "Chưa tính được túc số" in text
    assert "Đại hội chưa có cuộc bầu nào." in text


def test_every_presidium_page_is_free_of_inline_code(client: FlaskClient, pilot: Pilot) -> None:
    for url in (
        "/presidium/",
        "/presidium/votes",
        f"/presidium/contests/{pilot.committee_contest_id}",
        f"/presidium/contests/{pilot.standing_contest_id}",
        "/presidium/?lang=en",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert audit_html(response.get_data(as_text=True)) == [], url


def test_another_congress_ids_are_not_found(client: FlaskClient, pilot: Pilot) -> None:
    assert client.get("/presidium/contests/9999").status_code == 404
    assert client.post("/presidium/rounds/9999/open").status_code == 404


# ------------------------------------------------------------------------------- open votes


def test_open_vote_is_measured_against_n_from_the_record(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    response = client.post(
        "/presidium/votes",
        data={
            "subject": "congress_organs",
            "sitting": pilot.sitting_id,
            "question": "Thông qua danh sách Đoàn Chủ tịch",
            **_counts(agree=10),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "THÔNG QUA — 10 tán thành trên N = 12" in _text(response.get_data(as_text=True))
    (vote,) = _votes(web)
    assert (vote.subject, vote.base_n, vote.carried) == (Matter.CONGRESS_ORGANS, 12, True)
    assert vote.session_id == pilot.sitting_id


def test_half_of_n_does_not_carry(web: WebFixture, client: FlaskClient, pilot: Pilot) -> None:
    response = client.post(
        "/presidium/votes",
        data={
            "subject": "procedure",
            "sitting": pilot.sitting_id,
            "question": "Thông qua chương trình",
            **_counts(agree=6, disagree=6, abstain=0),
        },
        follow_redirects=True,
    )
    assert "KHÔNG THÔNG QUA — 6 tán thành trên N = 12 (cần ít nhất 7)" in _text(
        response.get_data(as_text=True)
    )
    assert [v.carried for v in _votes(web)] == [False]


def test_counts_above_present_are_a_form_error(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    response = client.post(
        "/presidium/votes",
        data={
            "subject": "procedure",
            "sitting": pilot.sitting_id,
            "question": "Q",
            **_counts(present=5, agree=4, disagree=2),
        },
    )
    assert response.status_code == 400
    assert "vượt quá số có mặt" in response.get_data(as_text=True)
    assert _votes(web) == []


def test_present_above_n_is_refused_in_vietnamese(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    response = client.post(
        "/presidium/votes",
        data={
            "subject": "procedure",
            "sitting": pilot.sitting_id,
            "question": "Q",
            **_counts(present=40, agree=30),
        },
    )
    assert response.status_code == 200
    assert "Dữ liệu không hợp lệ" in response.get_data(as_text=True)
    assert _votes(web) == []


def test_missing_counts_are_form_errors(client: FlaskClient, pilot: Pilot) -> None:
    response = client.post(
        "/presidium/votes", data={"subject": "procedure", "sitting": pilot.sitting_id}
    )
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('aria-invalid="true"') >= 3


def test_vote_on_a_contest_list(web: WebFixture, client: FlaskClient, pilot: Pilot) -> None:
    url = f"/presidium/contests/{pilot.committee_contest_id}/votes"
    response = client.post(
        url,
        data=_prefixed(
            "vote",
            {
                "subject": "candidate_list",
                "sitting": pilot.sitting_id,
                "question": "Thông qua danh sách bầu cử Ban Chấp hành",
                **_counts(agree=11, disagree=0, abstain=1),
            },
        ),
    )
    assert response.status_code == 302
    (vote,) = _votes(web)
    assert (vote.subject, vote.object_type, vote.object_id) == (
        Matter.CANDIDATE_LIST,
        "contests",
        pilot.committee_contest_id,
    )
    page = client.get(f"/presidium/contests/{pilot.committee_contest_id}")
    assert "Thông qua danh sách bầu cử Ban Chấp hành" in page.get_data(as_text=True)


def test_contest_vote_form_errors_rerender_the_page(client: FlaskClient, pilot: Pilot) -> None:
    url = f"/presidium/contests/{pilot.committee_contest_id}/votes"
    response = client.post(url, data={"vote-subject": "number_of_seats"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_withdrawal_records_vote_and_reason(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    with db_session(web) as db:
        nomination = db.scalars(
            sa.select(Nomination).where(Nomination.member_id == pilot.nominee_ids[0])
        ).one()
        nomination_id = nomination.id
    response = client.post(
        f"/presidium/contests/{pilot.committee_contest_id}/withdrawals",
        data=_prefixed(
            "wd",
            {
                "nomination": nomination_id,
                "reason": "Lý do sức khỏe",
                "sitting": pilot.sitting_id,
                "question": "Cho đồng chí Dung rút khỏi danh sách",
                **_counts(agree=9, disagree=2, abstain=1),
            },
        ),
        follow_redirects=True,
    )
    assert "đã được rút khỏi danh sách" in response.get_data(as_text=True)
    with db_session(web) as db:
        withdrawal = db.scalars(sa.select(Withdrawal)).one()
        assert withdrawal.reason == "Lý do sức khỏe"
        assert withdrawal.allowed is True
        assert withdrawal.decision.subject is Matter.WITHDRAWAL
        assert db.get(Nomination, nomination_id).status is NominationStatus.WITHDRAWN


def test_withdrawal_needs_a_reason(web: WebFixture, client: FlaskClient, pilot: Pilot) -> None:
    response = client.post(
        f"/presidium/contests/{pilot.committee_contest_id}/withdrawals",
        data=_prefixed("wd", {"sitting": pilot.sitting_id, "question": "Q", **_counts()}),
    )
    assert response.status_code == 400
    assert _votes(web) == []


# ------------------------------------------------------------------------------- rounds


def test_open_and_close_a_round(web: WebFixture, client: FlaskClient, pilot: Pilot) -> None:
    response = client.post(f"/presidium/rounds/{pilot.round_id}/open", follow_redirects=True)
    assert "Đã mở vòng bầu" in response.get_data(as_text=True)
    assert _round_state(web, pilot.round_id) is RoundState.OPEN
    console = _text(client.get("/presidium/").get_data(as_text=True))
    assert "Đã bỏ phiếu: 0 / 12" in console
    response = client.post(f"/presidium/rounds/{pilot.round_id}/close", follow_redirects=True)
    assert "Đã kết thúc bỏ phiếu" in response.get_data(as_text=True)
    assert _round_state(web, pilot.round_id) is RoundState.CLOSED


def test_opening_without_key_ceremony_explains_why_in_vietnamese(
    web: WebFixture,
) -> None:
    pilot = seed_pilot(web, ceremony=False)
    client = web.app.test_client()
    web.login(client, Role.PRESIDIUM)
    url = f"/presidium/contests/{pilot.committee_contest_id}"
    page = _text(client.get(url).get_data(as_text=True))
    assert "Ban kiểm phiếu chưa hoàn thành lễ tạo khóa" in page
    response = client.post(f"/presidium/rounds/{pilot.round_id}/open", follow_redirects=True)
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "Chưa thể mở vòng bầu: Ban kiểm phiếu chưa hoàn thành lễ tạo khóa" in text
    assert "Traceback" not in text
    assert _round_state(web, pilot.round_id) is RoundState.DRAFT


def test_illegal_move_is_a_sentence(web: WebFixture, client: FlaskClient, pilot: Pilot) -> None:
    response = client.post(f"/presidium/rounds/{pilot.round_id}/close", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Không thể chuyển vòng bầu từ “Dự thảo” sang “Đã kết thúc bỏ phiếu”" in text


def test_results_appear_only_once_announced(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    url = f"/presidium/contests/{pilot.committee_contest_id}"
    with db_session(web) as db:
        round_ = load_round(db, pilot)
        factories.run_to(db, round_, RoundState.DECRYPTED, ballots=8)
    text = _text(client.get(url).get_data(as_text=True))
    assert "Đang chờ Ban Kiểm phiếu" in text
    assert "Tỷ lệ trên N" not in text
    with db_session(web) as db:
        rounds.announce_result(db, SYSTEM, load_round(db, pilot), now=factories.later(50))
    text = _text(client.get(url).get_data(as_text=True))
    assert "Tỷ lệ trên N" in text
    assert "58,33%" in text  # 7 of N = 12 (R-RESULT-9, truncated)
    response = client.post(f"/presidium/rounds/{pilot.round_id}/approve", follow_redirects=True)
    assert "Đã xác nhận kết quả bầu cử" in response.get_data(as_text=True)
    assert _round_state(web, pilot.round_id) is RoundState.APPROVED


def test_annul_then_vote_to_repeat_creates_the_next_round(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    client.post(f"/presidium/rounds/{pilot.round_id}/open")
    response = client.post(f"/presidium/rounds/{pilot.round_id}/annul", data={})
    assert response.status_code == 400  # the reason is required
    assert _round_state(web, pilot.round_id) is RoundState.OPEN
    client.post(f"/presidium/rounds/{pilot.round_id}/annul", data={"annul-reason": "Sự cố mạng"})
    assert _round_state(web, pilot.round_id) is RoundState.ANNULLED
    response = client.post(
        f"/presidium/rounds/{pilot.round_id}/further",
        data=_prefixed(
            "further",
            {
                "motion": "further_round",
                "sitting": pilot.sitting_id,
                "question": "Bầu lại Ban Chấp hành",
                **_counts(agree=12, disagree=0, abstain=0),
            },
        ),
        follow_redirects=True,
    )
    assert "Đã lập dự thảo vòng bầu lần 2" in response.get_data(as_text=True)
    with db_session(web) as db:
        second = db.scalars(
            sa.select(Round).where(
                Round.contest_id == pilot.committee_contest_id, Round.number == 2
            )
        ).one()
        assert second.state is RoundState.DRAFT
        assert second.decision is not None and second.decision.subject is Matter.PROCEDURE


def test_a_failed_further_round_vote_creates_nothing(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    client.post(f"/presidium/rounds/{pilot.round_id}/open")
    client.post(f"/presidium/rounds/{pilot.round_id}/annul", data={"annul-reason": "Sự cố"})
    client.post(
        f"/presidium/rounds/{pilot.round_id}/further",
        data=_prefixed(
            "further",
            {
                "motion": "further_round",
                "sitting": pilot.sitting_id,
                "question": "Bầu lại",
                **_counts(agree=3, disagree=9, abstain=0),
            },
        ),
    )
    with db_session(web) as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(Round)) == 1
    assert [v.carried for v in _votes(web)] == [False]


# ------------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/presidium/votes", {"subject": "procedure", "question": "Q", **_counts()}),
        ("/presidium/rounds/{round}/open", {}),
        ("/presidium/rounds/{round}/annul", {"annul-reason": "x"}),
        ("/presidium/contests/{contest}/votes", {"vote-subject": "candidate_list"}),
    ],
)
def test_posts_without_csrf_token_are_refused(
    web: WebFixture, pilot: Pilot, path: str, data: dict[str, Any]
) -> None:
    client = web.app.test_client()
    web.login(client, Role.PRESIDIUM)
    web.app.config["WTF_CSRF_ENABLED"] = True
    url = path.format(round=pilot.round_id, contest=pilot.committee_contest_id)
    data = {**data, "sitting": pilot.sitting_id}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert _votes(web) == []
    assert _round_state(web, pilot.round_id) is RoundState.DRAFT


def test_posts_with_the_token_work(web: WebFixture, pilot: Pilot) -> None:
    client = web.app.test_client()
    web.login(client, Role.PRESIDIUM)
    web.app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/presidium/contests/{pilot.committee_contest_id}").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert token is not None
    response = client.post(
        f"/presidium/rounds/{pilot.round_id}/open", data={"csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    assert _round_state(web, pilot.round_id) is RoundState.OPEN


def test_console_in_english(client: FlaskClient, pilot: Pilot) -> None:
    text = _text(client.get("/presidium/?lang=en").get_data(as_text=True))
    assert "Election agenda" in text
    assert "Quorum reached" in text


# ------------------------------------------------------------------ floor and self nominations


def _nomination_of(web: WebFixture, contest_id: int, member_id: int) -> Nomination | None:
    with db_session(web) as db:
        return db.scalars(
            sa.select(Nomination).where(
                Nomination.contest_id == contest_id, Nomination.member_id == member_id
            )
        ).first()


def test_floor_and_self_nominations_with_their_opinion_ballots(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    # R-LIST-3: names put forward at the congress, then the opinion ballot on each.
    url = f"/presidium/contests/{pilot.committee_contest_id}"
    page = client.get(url).get_data(as_text=True)
    assert audit_html(page) == []
    assert 'data-testid="floor-nomination"' in page
    outsiders = [m for m in pilot.member_ids if m not in pilot.nominee_ids]
    floor, self_, nominator = outsiders[0], outsiders[1], pilot.member_ids[0]

    # A floor nomination names who proposed it; a self-nomination names nobody.
    bad = client.post(
        f"{url}/nominations",
        data=_prefixed("nom", {"member": floor, "source": "floor", "nominator": 0}),
    )
    assert bad.status_code == 400
    assert "cần có người giới thiệu" in bad.get_data(as_text=True)
    bad = client.post(
        f"{url}/nominations",
        data=_prefixed("nom", {"member": self_, "source": "self", "nominator": nominator}),
    )
    assert bad.status_code == 400
    assert _nomination_of(web, pilot.committee_contest_id, floor) is None

    ok = client.post(
        f"{url}/nominations",
        data=_prefixed("nom", {"member": floor, "source": "floor", "nominator": nominator}),
        follow_redirects=True,
    )
    assert "cần lấy phiếu xin ý kiến" in ok.get_data(as_text=True)
    made = _nomination_of(web, pilot.committee_contest_id, floor)
    assert made is not None and made.source.value == "floor" and made.nominator_id == nominator
    client.post(
        f"{url}/nominations",
        data=_prefixed("nom", {"member": self_, "source": "self", "nominator": 0}),
    )
    mine = _nomination_of(web, pilot.committee_contest_id, self_)
    assert mine is not None and mine.source.value == "self" and mine.nominator_id is None

    # The opinion ballot: agree cannot exceed those attending; a valid count is kept.
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="opinion-ballot"' in page
    too_many = client.post(
        f"{url}/opinions",
        data=_prefixed("op", {"nomination": made.id, "attending": 10, "agree": 11}),
    )
    assert too_many.status_code == 400
    counts = {"nomination": made.id, "attending": 12, "agree": 5}
    client.post(f"{url}/opinions", data=_prefixed("op", counts))
    kept = _nomination_of(web, pilot.committee_contest_id, floor)
    assert kept is not None and (kept.opinion_agree, kept.opinion_attending) == (5, 12)
    assert "5 / 12 đồng ý" in _text(client.get(url).get_data(as_text=True))


def test_no_names_are_put_forward_once_voting_has_begun(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    url = f"/presidium/contests/{pilot.committee_contest_id}"
    with db_session(web) as db:
        factories.run_to(db, load_round(db, pilot), RoundState.OPEN, ballots=0)
    assert 'data-testid="floor-nomination"' not in client.get(url).get_data(as_text=True)
    member = next(m for m in pilot.member_ids if m not in pilot.nominee_ids)
    answer = client.post(
        f"{url}/nominations",
        data=_prefixed("nom", {"member": member, "source": "self", "nominator": 0}),
        follow_redirects=True,
    )
    assert "Danh sách đã chốt" in answer.get_data(as_text=True)
    assert _nomination_of(web, pilot.committee_contest_id, member) is None


# ------------------------------------------------------------------------------- sessions


def test_the_presidium_opens_and_closes_sessions(
    web: WebFixture, client: FlaskClient, pilot: Pilot
) -> None:
    from election.models import CongressSession

    page = client.get("/presidium/").get_data(as_text=True)
    assert audit_html(page) == [] and 'data-testid="sessions"' in page
    assert "Khai mạc phiên 1" in _text(page)
    opened = client.post(f"/presidium/sessions/{pilot.sitting_id}/open", follow_redirects=True)
    text = _text(opened.get_data(as_text=True))
    assert "Đã khai mạc phiên 1." in text and "Bế mạc phiên 1" in text
    again = client.post(f"/presidium/sessions/{pilot.sitting_id}/open", follow_redirects=True)
    assert "already open" in _text(again.get_data(as_text=True))
    client.post(f"/presidium/sessions/{pilot.sitting_id}/close")
    with db_session(web) as db:
        sitting = db.get(CongressSession, pilot.sitting_id)
        assert sitting is not None
        assert sitting.opened_at is not None and sitting.closed_at is not None
    assert "đã bế mạc lúc" in _text(client.get("/presidium/").get_data(as_text=True))
