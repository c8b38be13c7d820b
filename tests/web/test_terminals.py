"""Terminal enrolment by the presidium (issue 5 item 1), and the home page of a congress."""

from __future__ import annotations

import re

from election.models import Role
from tests.web.conftest import WebFixture


def test_presidium_enrols_a_terminal_and_the_link_works_once_shown(web: WebFixture) -> None:
    client = web.app.test_client()
    web.login(client, Role.PRESIDIUM)
    page = client.post("/terminals", data={"name": "Buồng 7"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Buồng 7" in text
    token = re.search(r"/booth/enroll\?token=([A-Za-z0-9_-]+)", text)
    assert token is not None
    # The link makes a fresh browser a terminal.
    booth = web.app.test_client()
    assert booth.get("/booth").status_code in (302, 401)
    assert booth.get(f"/booth/enroll?token={token.group(1)}").status_code == 302
    assert booth.get("/booth").status_code == 200
    # The list shows the terminal but never the token again.
    listing = client.get("/terminals").get_data(as_text=True)
    assert "Buồng 7" in listing and token.group(1) not in listing


def test_deactivated_terminal_cannot_load_ballots(web: WebFixture) -> None:
    client = web.app.test_client()
    web.login(client, Role.PRESIDIUM)
    booth = web.app.test_client()
    web.terminal(booth)
    assert booth.get("/booth").status_code == 200
    db = web.session()
    from election.models import Terminal

    terminal = db.query(Terminal).filter_by(name="Buồng 1").one()
    client.post(f"/terminals/{terminal.id}/deactivate")
    assert booth.get("/booth").status_code in (302, 401, 403)


def test_home_shows_the_congress(web: WebFixture) -> None:
    text = web.app.test_client().get("/").get_data(as_text=True)
    assert "Đảng bộ Sở Thử nghiệm tỉnh Vân Giang" in text
    assert "Đại hội lần thứ 3, nhiệm kỳ 2025–2030" in text
