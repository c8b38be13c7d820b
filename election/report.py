"""A plain-text summary of the congresses, in Vietnamese (``dhvote show``).

It reads the database and writes nothing: the congress, its roster in numbers, bodies,
sessions, contests with their nominations and rounds (state, form, candidates, result),
the operator accounts and the state of the event log's hash chain.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import ChainBroken
from election.models import (
    BodyKind,
    BodyMember,
    BodyRole,
    Congress,
    CongressKind,
    CredentialStatus,
    Event,
    FormKind,
    Membership,
    Nomination,
    NominationStatus,
    Role,
    RoleAssignment,
    RoundState,
    User,
    VotingCredential,
)
from election.services.events import verify_chain

__all__ = ["BODY_KINDS", "ROLES", "ROUND_STATES", "summary"]

CONGRESS_KINDS = {
    CongressKind.MEMBERS: "đại hội đảng viên",
    CongressKind.DELEGATES: "đại hội đại biểu",
}
BODY_KINDS = {
    BodyKind.CONVENING_COMMITTEE: "cấp ủy triệu tập",
    BodyKind.EXECUTIVE_COMMITTEE: "ban chấp hành",
    BodyKind.STANDING_COMMITTEE: "ban thường vụ",
    BodyKind.INSPECTION_COMMISSION: "ủy ban kiểm tra",
    BodyKind.PRESIDIUM: "đoàn chủ tịch",
    BodyKind.SECRETARIAT: "đoàn thư ký",
    BodyKind.CREDENTIALS_BOARD: "ban thẩm tra tư cách",
    BodyKind.COUNTING_BOARD: "ban kiểm phiếu",
    BodyKind.DELEGATION: "đoàn đại biểu",
    BodyKind.ALTERNATE_DELEGATION: "đại biểu dự khuyết",
}
ROUND_STATES = {
    RoundState.DRAFT: "dự thảo",
    RoundState.OPEN: "đang bỏ phiếu",
    RoundState.CLOSED: "đã kết thúc bỏ phiếu",
    RoundState.TALLIED: "đã cộng phiếu",
    RoundState.DECRYPTED: "đã giải mã",
    RoundState.ANNOUNCED: "đã công bố",
    RoundState.APPROVED: "đã xác nhận",
    RoundState.ANNULLED: "đã hủy",
}
FORMS = {
    FormKind.CROSS_OUT: "phiếu gạch tên",
    FormKind.AGREE_DISAGREE: "phiếu đồng ý / không đồng ý",
    FormKind.CHOOSE_AT_MOST: "phiếu giới thiệu",
}
ROLES = {
    Role.SECRETARIAT: "thư ký",
    Role.PRESIDIUM: "đoàn chủ tịch",
    Role.CREDENTIALS: "thẩm tra tư cách",
    Role.COUNTING: "kiểm phiếu",
    Role.INSPECTION: "kiểm tra",
}
HEADS = {BodyRole.HEAD: "trưởng", BodyRole.DEPUTY: "phó"}


def _zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except (ImportError, KeyError, OSError):  # pragma: no cover - no tz database
        # Việt Nam has no daylight saving: UTC+7 all year.
        return timezone(timedelta(hours=7))


def _when(at: datetime | None) -> str:
    return at.astimezone(_zone()).strftime("%d/%m/%Y %H:%M") if at else "chưa định"


def _congress(db: Session, congress: Congress) -> list[str]:
    lines = [
        f"Đại hội {congress.organization} lần thứ {congress.ordinal}, nhiệm kỳ {congress.term}"
        f" [{congress.public_id}]",
        f"  Hình thức: {CONGRESS_KINDS[congress.kind]} · quy chế bầu cử: "
        f"{congress.rules_profile.value}"
        + (f" · địa điểm: {congress.place}" if congress.place else "")
        + (f" · khai mạc: {congress.opens_on:%d/%m/%Y}" if congress.opens_on else ""),
    ]
    members = congress.members
    by_membership = Counter(m.membership for m in members)
    cells = {m.party_cell for m in members if m.party_cell}
    credentials = db.scalar(
        sa.select(sa.func.count())
        .select_from(VotingCredential)
        .where(
            VotingCredential.congress_id == congress.id,
            VotingCredential.status == CredentialStatus.ACTIVE,
        )
    )
    lines.append(
        f"  Danh sách: {len(members)} người — {by_membership[Membership.OFFICIAL]} chính thức, "
        f"{by_membership[Membership.PROBATIONARY]} dự bị, "
        f"{by_membership[Membership.ATTACHED]} sinh hoạt tạm thời tại đây; "
        f"{sum(m.temporary_activity_elsewhere for m in members)} sinh hoạt tạm thời nơi khác, "
        f"{sum(m.absence_excused for m in members)} vắng cả đại hội có lý do; "
        f"{len(cells)} chi bộ; {credentials} thẻ biểu quyết đang hiệu lực"
    )
    lines.append("  Cơ quan:")
    for body in congress.bodies:
        seats = db.scalars(
            sa.select(BodyMember).where(BodyMember.body_id == body.id).order_by(BodyMember.id)
        ).all()
        heads = [f"{HEADS[s.role]} {s.member.full_name}" for s in seats if s.role in HEADS]
        detail = f"{len(seats)} thành viên" + (f" ({'; '.join(heads)})" if heads else "")
        lines.append(f"    - {body.name} [{body.code}, {BODY_KINDS[body.kind]}]: {detail}")
    lines.append("  Phiên họp:")
    for sitting in congress.sessions:
        where = f" — {sitting.body.name}" if sitting.body else ""
        lines.append(
            f"    {sitting.number}. {sitting.title}{where} ({_when(sitting.scheduled_at)})"
        )
    lines.append("  Các cuộc bầu cử (theo chương trình):")
    for contest in congress.contests:
        position = contest.position
        voters = contest.electorate.name if contest.electorate else "đại hội"
        direct = ", bầu trực tiếp tại đại hội" if contest.direct else ""
        lines.append(
            f"    {contest.agenda_order}. {position.title} — {position.seats} người; "
            f"do {voters} bầu{direct} [{contest.code}]"
        )
        nominated = db.scalars(
            sa.select(Nomination)
            .where(
                Nomination.contest_id == contest.id,
                Nomination.status == NominationStatus.PROPOSED,
            )
            .order_by(Nomination.id)
        ).all()
        if nominated:
            names = ", ".join(n.member.full_name for n in nominated)
            lines.append(f"       Giới thiệu ({len(nominated)}): {names}")
        if not contest.rounds:
            lines.append("       Chưa lập danh sách bầu cử")
        for round_ in contest.rounds:
            lines.append(
                f"       Lần {round_.number}: {ROUND_STATES[round_.state]}, "
                f"{FORMS[round_.form_kind]}, {len(round_.candidates)} người "
                f"cho {round_.seats} chỗ"
            )
            names = ", ".join(f"{c.ballot_order}. {c.member.full_name}" for c in round_.candidates)
            lines.append(f"         Thứ tự trên phiếu: {names}")
            if round_.state is not RoundState.DRAFT:
                lines.append(
                    f"         h_R {round_.round_hash.hex()[:16]}…, "  # type: ignore[union-attr]
                    f"{round_.eligible_count} thẻ đủ điều kiện"
                )
            result = round_.result
            if result is not None:
                lines.append(
                    f"         Kết quả: {result.cast_ballots} phiếu thu vào, {result.valid} "
                    f"hợp lệ; N = {result.base_n}, cần ít nhất {result.threshold} phiếu"
                )
    users = db.execute(
        sa.select(User.username, RoleAssignment.role)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.congress_id == congress.id)
        .order_by(User.username, RoleAssignment.role)
    ).all()
    if users:
        listed = ", ".join(f"{name} ({ROLES[role]})" for name, role in users)
        lines.append(f"  Người dùng: {listed}")
    return lines


def summary(db: Session) -> list[str]:
    """The lines ``dhvote show`` prints."""
    congresses = db.scalars(sa.select(Congress).order_by(Congress.id)).all()
    if not congresses:
        lines = ["Chưa có đại hội nào. Nạp đại hội mẫu: dhvote demo"]
    else:
        lines = []
        for congress in congresses:
            lines += _congress(db, congress)
            lines.append("")
    events = db.scalar(sa.select(sa.func.count()).select_from(Event))
    try:
        verify_chain(db)
        chain = "chuỗi băm hợp lệ"
    except ChainBroken as e:
        chain = f"CHUỖI BĂM SAI: {e}"
    lines.append(f"Nhật ký sự kiện: {events} mục, {chain}")
    return lines
