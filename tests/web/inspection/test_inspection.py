"""The inspection commission's pages: round verification in the background with its
progress JSON, the record zip and the verdict (page and PDF); the event log with its chain
and checkpoints; the register of cases; the cases that hold a list back and the
presidium's decision to proceed.

Access by role is the matrix's business (tests/web/test_access_matrix.py). The verification
tests give the service a simulated record instead of the export (tests/services/test_audit.py
runs the real export).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import sqlite3
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from election.models import (
    CaseStatus,
    Event,
    EventCheckpoint,
    InspectionCase,
    Role,
    Round,
    RoundState,
    VerificationRun,
    VerificationStatus,
)
from election.record import Record
from election.record.simulate import SimulatedRound, simulate
from election.services import audit
from election.services.base import SYSTEM
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import Pilot, audit_html, db_session, load_round, seed_pilot


@cache
def _simulated() -> SimulatedRound:
    return simulate(names=3, seats=2, ballots=3, guardians=2, threshold=1, audited=0)


def _honest(db: Session, round_: Round) -> Record:
    return _simulated().record


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def records(web: WebFixture, tmp_path: Path) -> Path:
    directory = tmp_path / "records"
    web.app.config["AUDIT_RECORDS_DIR"] = str(directory)
    return directory


@pytest.fixture
def client(web: WebFixture, records: Path) -> FlaskClient:
    c = web.app.test_client()
    web.login(c, Role.INSPECTION)
    return c


@pytest.fixture
def decided(web: WebFixture) -> Pilot:
    """The pilot congress with its committee round decrypted (a result, so a record)."""
    pilot = seed_pilot(web)
    with db_session(web) as db:
        factories.run_to(db, load_round(db, pilot), RoundState.DECRYPTED, ballots=6)
    return pilot


# ------------------------------------------------------------------------------- rounds


def test_a_round_is_verified_in_the_background(
    web: WebFixture,
    client: FlaskClient,
    decided: Pilot,
    records: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audit, "_default_builder", _honest)
    page = client.get("/inspection/").get_data(as_text=True)
    assert "Chưa kiểm tra" in _text(page) and audit_html(page) == []

    response = client.post(f"/inspection/rounds/{decided.round_id}/verify")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/inspection/#round-{decided.round_id}")
    with db_session(web) as db:
        run_id = db.scalars(sa.select(VerificationRun.id)).one()
    assert audit.wait(run_id, timeout=60)

    status = client.get(f"/api/inspection/rounds/{decided.round_id}/verification").get_json()
    assert status["state"] == "passed" and status["state_text"] == "Đạt"
    assert status["running"] is False and status["done"] == status["total"] == 3

    page = client.get("/inspection/").get_data(as_text=True)
    assert "Đạt" in _text(page) and "Biên bản kiểm tra" in _text(page)

    with db_session(web) as db:
        run = db.get(VerificationRun, run_id)
        assert run is not None and run.status is VerificationStatus.PASSED
        digest = run.record_sha256
    download = client.get(f"/inspection/rounds/{decided.round_id}/record.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert hashlib.sha256(download.data).digest() == digest
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    # A file changed on disk is not handed out as the verified one.
    with db_session(web) as db:
        run = db.get(VerificationRun, run_id)
        assert run is not None
        path = audit.record_path(records, run)
    path.write_bytes(path.read_bytes() + b"\0")
    refused = client.get(f"/inspection/rounds/{decided.round_id}/record.zip")
    assert refused.status_code == 302
    assert "Tệp hồ sơ đã bị thay đổi" in _text(client.get("/inspection/").get_data(as_text=True))

    verdict = client.get(f"/inspection/rounds/{decided.round_id}/verdict").get_data(as_text=True)
    text = _text(verdict)
    assert audit_html(verdict) == []
    assert "Biên bản kiểm tra hồ sơ bầu cử" in text
    assert digest.hex() in verdict
    for check in range(1, 12):
        assert f'data-check="V{check}"' in verdict
    assert "Hồ sơ bầu cử của vòng bầu đạt cả 11 mục kiểm tra (V1–V11)." in text
    assert "Người thử inspection" in text  # who ran it


def test_the_verdict_prints_as_a_pdf(
    web: WebFixture, client: FlaskClient, decided: Pilot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    monkeypatch.setattr(audit, "_default_builder", _honest)
    client.post(f"/inspection/rounds/{decided.round_id}/verify")
    with db_session(web) as db:
        run_id = db.scalars(sa.select(VerificationRun.id)).one()
    assert audit.wait(run_id, timeout=60)
    response = client.get(f"/inspection/rounds/{decided.round_id}/verdict.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    # Always Vietnamese, whatever the page's language.
    assert "KIỂM TRA HỒ SƠ BẦU CỬ" in text.upper()
    assert "V11" in text and "Đạt" in text


def test_a_running_verification_shows_its_progress(
    web: WebFixture, client: FlaskClient, decided: Pilot, records: Path
) -> None:
    now = datetime.now(UTC)
    with db_session(web) as db:
        round_ = load_round(db, decided)
        run = audit.start_verification(
            db, SYSTEM, round_, directory=records, now=now, build=_honest
        )
        audit.record_progress(db, run, done=1, total=3, now=now)
    page = client.get("/inspection/").get_data(as_text=True)
    assert 'data-state="running"' in page and "<progress" in page
    assert f'data-verification="/api/inspection/rounds/{decided.round_id}/verification"' in page
    assert audit_html(page) == []
    status = client.get(f"/api/inspection/rounds/{decided.round_id}/verification").get_json()
    assert status["state"] == "running" and status["running"] is True
    assert status["progress_text"] == "1/3 phiếu (33%)" and status["percent"] == 33
    # A second start is refused while it runs.
    response = client.post(f"/inspection/rounds/{decided.round_id}/verify", follow_redirects=True)
    assert "Không thể thực hiện ở trạng thái hiện tại" in _text(response.get_data(as_text=True))


def test_a_round_without_a_result_cannot_be_verified(
    web: WebFixture, client: FlaskClient, records: Path
) -> None:
    pilot = seed_pilot(web)
    response = client.post(f"/inspection/rounds/{pilot.round_id}/verify", follow_redirects=True)
    # The round is a draft: it is not even listed, and the service refuses.
    assert "Không thể thực hiện ở trạng thái hiện tại" in _text(response.get_data(as_text=True))
    assert client.get(f"/inspection/rounds/{pilot.round_id}/record.zip").status_code == 404
    assert client.get(f"/inspection/rounds/{pilot.round_id}/verdict.pdf").status_code == 404
    assert client.get("/inspection/rounds/9999/verdict").status_code == 404


# ------------------------------------------------------------------------------- log


def _delete_row(web: WebFixture, seq: int) -> None:
    """The attacker: the SQLite file opened directly, the triggers dropped."""
    path = sa.make_url(web.app.config["DATABASE_URL"]).database
    assert path
    connection = sqlite3.connect(path)
    try:
        connection.execute("DROP TRIGGER event_log_no_delete")
        connection.execute("DELETE FROM event_log WHERE seq = ?", (seq,))
        connection.commit()
    finally:
        connection.close()


def test_the_log_page_checks_the_chain_and_signs_on_demand(
    web: WebFixture, client: FlaskClient
) -> None:
    web.app.config["CHECKPOINT_INTERVAL"] = 1000
    page = client.get("/inspection/log").get_data(as_text=True)
    assert "Nhật ký hợp lệ" in _text(page) and audit_html(page) == []
    assert "chưa có điểm kiểm soát nào" in _text(page)

    response = client.post("/inspection/log/checkpoint", follow_redirects=True)
    text = _text(response.get_data(as_text=True))
    with db_session(web) as db:
        made = db.scalars(sa.select(EventCheckpoint)).one()
        request = db.get(Event, made.seq)
        assert request is not None and request.action == "log.checkpoint"
        assert request.actor == web.usernames[Role.INSPECTION]
    assert f"Đã ký điểm kiểm soát tại mục {made.seq}." in text
    assert f"điểm cuối tại mục {made.seq}" in text

    _delete_row(web, 3)
    page = client.get("/inspection/log").get_data(as_text=True)
    assert "Mục 3 bị xóa: nhật ký nhảy từ mục 2 sang mục 4." in _text(page)
    summary = client.get("/inspection/").get_data(as_text=True)
    assert "Mục 3 bị xóa" in _text(summary)


def test_the_log_page_reads_english(web: WebFixture, client: FlaskClient) -> None:
    page = client.get("/inspection/log?lang=en").get_data(as_text=True)
    assert "Event log" in page and "Nhật ký sự kiện" not in page


# ------------------------------------------------------------------------------- cases


def _register(client: FlaskClient, **data: object) -> str:
    form = {"category": "denunciation", "member": 0, "subject": "Tố cáo", "signers": 1}
    form.update(data)
    response = client.post("/inspection/cases", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_the_register_flags_letters_not_to_be_handled(web: WebFixture, client: FlaskClient) -> None:
    pilot = seed_pilot(web)
    member = pilot.member_ids[4]
    where = _register(client, member=member, anonymous="y", subject="Thư nặc danh")
    page = client.get(where).get_data(as_text=True)
    text = _text(page)
    assert "Không xem xét, giải quyết" in text and "Đơn nặc danh (R-INSP-2)" in text
    assert audit_html(page) == []

    where = _register(client, member=member, signers=3, subject="Đơn tập thể")
    assert "Đơn có từ hai người trở lên cùng ký tên (R-INSP-2)" in _text(
        client.get(where).get_data(as_text=True)
    )
    listing = _text(client.get("/inspection/cases?status=not_handled").get_data(as_text=True))
    assert "Thư nặc danh" in listing and "Đơn tập thể" in listing
    assert client.get("/inspection/cases?status=nonsense").status_code == 400


def test_a_case_is_reviewed_and_concluded(web: WebFixture, client: FlaskClient) -> None:
    where = _register(client, category="complaint", subject="Khiếu nại về tiêu chuẩn")
    case_id = int(where.rsplit("/", 1)[1])
    assert client.post(f"/inspection/cases/{case_id}/review").status_code == 302
    response = client.post(
        f"/inspection/cases/{case_id}/close",
        data={"status": "concluded", "outcome": "Không có cơ sở"},
        follow_redirects=True,
    )
    assert "Đã ghi kết luận." in _text(response.get_data(as_text=True))
    with db_session(web) as db:
        case = db.get(InspectionCase, case_id)
        assert case is not None and case.status is CaseStatus.CONCLUDED
        assert case.outcome == "Không có cơ sở"
        actions = list(db.scalars(sa.select(Event.action).order_by(Event.seq)))
    assert actions[-3:] == ["case.record", "case.review", "case.close"]


def test_a_complaint_about_the_election_shows_its_deadline(
    web: WebFixture, client: FlaskClient
) -> None:
    where = _register(
        client,
        category="complaint",
        about_election="y",
        closed_on="2025-06-13",
        received_on="2025-07-07",
        subject="Khiếu nại kết quả bầu",
    )
    text = _text(client.get(where).get_data(as_text=True))
    assert "hạn nhận đến hết ngày 04/07/2025" in text and "quá hạn" in text
    assert "Quá thời hạn nhận khiếu nại về bầu cử sau đại hội (R-INSP-4)" in text


def test_forms_without_a_csrf_token_change_nothing(web: WebFixture, client: FlaskClient) -> None:
    web.app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/inspection/cases", data={"category": "complaint", "subject": "x"})
    assert response.status_code == 400
    assert client.post("/inspection/log/checkpoint").status_code == 400
    with db_session(web) as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(InspectionCase)) == 0
        assert db.scalar(sa.select(sa.func.count()).select_from(EventCheckpoint)) == 0


# ------------------------------------------------------------------------------- lists


def test_the_presidium_decides_to_proceed(web: WebFixture, client: FlaskClient) -> None:
    pilot = seed_pilot(web)
    nominee = pilot.nominee_ids[0]
    where = _register(client, member=nominee, subject="Tố cáo về kê khai tài sản")
    case_id = int(where.rsplit("/", 1)[1])
    page = _text(client.get("/inspection/blocking").get_data(as_text=True))
    assert "Tố cáo về kê khai tài sản" in page and "Ủy viên Ban Chấp hành" in page

    presidium = web.app.test_client()
    web.login(presidium, Role.PRESIDIUM)
    page = presidium.get("/inspection/blocking").get_data(as_text=True)
    assert f'action="/inspection/cases/{case_id}/proceed"' in page and audit_html(page) == []
    empty = presidium.post(f"/inspection/cases/{case_id}/proceed", data={}, follow_redirects=True)
    assert "Cần ghi lý do" in _text(empty.get_data(as_text=True))
    response = presidium.post(
        f"/inspection/cases/{case_id}/proceed",
        data={f"case{case_id}-reason": "Nội dung không ảnh hưởng tiêu chuẩn ứng cử"},
        follow_redirects=True,
    )
    text = _text(response.get_data(as_text=True))
    assert "Đã ghi quyết định tiếp tục của Đoàn Chủ tịch." in text
    assert "Không có vụ việc nào đang chặn danh sách bầu cử." in text
    with db_session(web) as db:
        case = db.get(InspectionCase, case_id)
        assert case is not None and case.proceed_reason is not None
        assert case.status is CaseStatus.RECEIVED
