"""The credentials board seats an alternate in place of an absent official delegate
(R-DELEG-1) from the review page; only at a delegates' congress."""

from __future__ import annotations

import sqlalchemy as sa

from election.models import Congress, CongressKind, DelegateKind, DelegateReplacement, Role
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import audit_html, db_session

DECISION = "Quyết định số 7-QĐ/ĐU của Ban Thường vụ: đồng chí Bình vắng vì ốm."


def _delegates_congress(web: WebFixture) -> tuple[int, int]:
    with db_session(web) as db:
        congress = db.scalars(
            sa.select(Congress).where(Congress.public_id == web.congress_public_id)
        ).one()
        congress.kind = CongressKind.DELEGATES
        official = factories.make_member(
            db, congress, full_name="Trần Văn Bình", delegate_kind=DelegateKind.ELECTED
        )
        alternate = factories.make_member(
            db, congress, full_name="Lê Thị Dự", delegate_kind=DelegateKind.ALTERNATE
        )
        db.commit()
        return official.id, alternate.id


def test_an_alternate_is_seated_from_the_review_page(web: WebFixture) -> None:
    official, alternate = _delegates_congress(web)
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    page = client.get("/credentials/review").get_data(as_text=True)
    assert audit_html(page) == [] and 'data-testid="replacements"' in page

    # Without the decision: a form error, nothing stored.
    client.post(
        "/credentials/replacements", data={"rp-official": official, "rp-alternate": alternate}
    )
    with db_session(web) as db:
        assert db.scalars(sa.select(DelegateReplacement)).first() is None

    done = client.post(
        "/credentials/replacements",
        data={"rp-official": official, "rp-alternate": alternate, "rp-decision": DECISION},
        follow_redirects=True,
    )
    assert "Lê Thị Dự (dự khuyết) thay đồng chí Trần Văn Bình" in done.get_data(as_text=True)
    with db_session(web) as db:
        made = db.scalars(sa.select(DelegateReplacement)).one()
        assert (made.official_id, made.alternate_id, made.decision) == (
            official,
            alternate,
            DECISION,
        )


def test_no_replacements_at_a_members_congress(web: WebFixture) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    assert 'data-testid="replacements"' not in client.get("/credentials/review").get_data(
        as_text=True
    )
    assert client.post("/credentials/replacements", data={}).status_code == 404
