"""Every route x every audience: deny by default, and exactly the declared access.

``EXPECTED`` lists every endpoint the app registers with the audiences that may use it.
The test fails when a route is added without an entry here, when a view's declaration
differs from this table, and when a live request by an audience outside the table is not
refused (401/302 to the sign-in page for anonymous, 403 for a wrong role).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from election.models import Role
from election.web.access import ANY_ROLE, PUBLIC, TERMINAL, access_of
from tests.web.conftest import WebFixture

S, P, C, K, INSP = (
    Role.SECRETARIAT.value,
    Role.PRESIDIUM.value,
    Role.CREDENTIALS.value,
    Role.COUNTING.value,
    Role.INSPECTION.value,
)
EVERYONE = {PUBLIC}

#: endpoint -> audiences. Add a line for every new route.
EXPECTED: dict[str, set[str]] = {
    "public.index": EVERYONE,
    "public.healthz": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": {ANY_ROLE},
    "board.index": EVERYONE,
    "board.round_board": EVERYONE,
    "board.round_board_json": EVERYONE,
    "booth.kiosk": {TERMINAL},
    "booth.enroll": EVERYONE,
    "booth.session": {TERMINAL},
    "booth.cast": {TERMINAL},
    "booth.challenge": {TERMINAL},
    "terminals.index": {P, S},
    "terminals.deactivate": {P, S},
    # Credentials board (election/web/credentials): the report is also read by the presidium,
    # which alone records the congress's vote on it, and by the secretariat.
    "credentials.index": {C},
    "credentials.review": {C},
    "credentials.review_member": {C},
    "credentials.recognise_pending": {C},
    "credentials.desk": {C},
    "credentials.attendance": {C},
    "credentials.revoke": {C},
    "credentials.api_lookup": {C},
    "credentials.api_register": {C},
    "credentials.api_reissue": {C},
    "credentials.api_summary": {C},
    "credentials.report": {C, P, S},
    "credentials.report_pdf": {C, P, S},
    "credentials.adopt_report": {C},
    "credentials.report_approval": {P},
    # Secretariat (election/web/secretariat): congress setup, roster import, candidate lists.
    "secretariat.overview": {S},
    "secretariat.roster_upload": {S},
    "secretariat.roster_confirm": {S},
    "secretariat.contest": {S},
    "secretariat.nominate": {S},
    "secretariat.build": {S},
    "secretariat.check": {S},
    # Presidium (election/web/presidium): agenda, quorum, open votes, round controls.
    "presidium.console": {P},
    "presidium.votes": {P},
    "presidium.contest": {P},
    "presidium.contest_vote": {P},
    "presidium.withdrawal": {P},
    "presidium.nominate": {P},
    "credentials.replace_delegate": {C},
    "presidium.open_session": {P},
    "presidium.close_session": {P},
    "presidium.opinion": {P},
    "presidium.open_round": {P},
    "presidium.close_round": {P},
    "presidium.reissue_decision": {P},
    "presidium.approve_round": {P},
    "presidium.annul_round": {P},
    "presidium.further_round": {P},
    # Hall screen (election/web/hall): the projector and its JSON, counts only.
    "hall.screen": EVERYONE,
    "hall.api": EVERYONE,
    # Inspection commission (election/web/inspection): round verification, the event log
    # and its checkpoints, the register of cases. The presidium sees the cases that hold a
    # list back and alone records a decision to proceed.
    "inspection.index": {INSP},
    "inspection.verify_round": {INSP},
    "inspection.verification_status": {INSP},
    "inspection.download_record": {INSP},
    "inspection.verdict": {INSP},
    "inspection.verdict_pdf": {INSP},
    "inspection.spot_checks": {INSP},
    "inspection.spot_check_drill": {INSP},
    "inspection.spot_check_outcome": {INSP},
    "inspection.event_log": {INSP},
    "inspection.checkpoint": {INSP},
    "inspection.cases": {INSP},
    "inspection.case": {INSP},
    "inspection.review_case": {INSP},
    "inspection.close_case": {INSP},
    "inspection.blocking": {INSP, P},
    "inspection.proceed": {P},
    # Counting board (election/web/counting): the key ceremony, counting, results, minutes.
    # Public: the ceremony's record, and a round's result and record once announced (the
    # views answer 404 before that to anyone but the counting board and the presidium).
    "counting.index": {K},
    "counting.ceremony": {K},
    "counting.start_ceremony": {K},
    "counting.cancel_ceremony": {K},
    "counting.ceremony_record": EVERYONE,
    "counting.api_ceremony": {K},
    "counting.api_keys": {K},
    "counting.api_boxes": {K},
    "counting.api_confirm": {K},
    "counting.api_complain": {K},
    "counting.tally_round": {K},
    "counting.round_page": {K},
    "counting.api_tally": {K},
    "counting.api_progress": {K},
    "counting.api_share": {K},
    "counting.announce": {K},
    "counting.result": EVERYONE,
    "counting.record_zip": EVERYONE,
    "counting.minutes_page": {K, P, INSP},
    "counting.minutes_pdf": {K, P, INSP},
    "counting.sign_page": {K},
    "counting.api_minutes": {K},
    "counting.api_sign": {K},
}

AUDIENCES = ["anonymous", "terminal", *[r.value for r in Role]]


def _endpoints(app: Flask) -> dict[str, tuple[str, set[str]]]:
    """endpoint -> (a concrete URL, its methods) with sample values for path variables."""
    out = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        out[rule.endpoint] = (url, set(rule.methods or ()) - {"HEAD", "OPTIONS"})
    return out


def test_every_route_is_in_the_matrix(web: WebFixture) -> None:
    registered = set(_endpoints(web.app))
    assert registered - set(EXPECTED) == set(), "routes missing from EXPECTED"
    assert set(EXPECTED) - registered == set(), "EXPECTED names routes that do not exist"


def test_declarations_match_the_matrix(web: WebFixture) -> None:
    for endpoint, view in web.app.view_functions.items():
        if endpoint == "static":
            continue
        assert access_of(view) == EXPECTED[endpoint], endpoint


def _allowed(audience: str, declared: set[str]) -> bool:
    if PUBLIC in declared:
        return True
    if audience == "terminal":
        return TERMINAL in declared
    if audience == "anonymous":
        return False
    return ANY_ROLE in declared or audience in declared


@pytest.mark.parametrize("audience", AUDIENCES)
def test_live_requests_follow_the_matrix(web: WebFixture, audience: str) -> None:
    client = web.app.test_client()
    if audience == "terminal":
        web.terminal(client)
    elif audience != "anonymous":
        web.login(client, Role(audience))
    for endpoint, (url, methods) in sorted(_endpoints(web.app).items()):
        if endpoint == "auth.logout":
            continue  # it would end the signed-in session for the rest of the loop
        for method in sorted(methods):
            response = client.open(url, method=method)
            refused = response.status_code in (401, 403) or (
                response.status_code == 302
                and "/login" in response.headers.get("Location", "")
                and endpoint != "auth.login"
            )
            expected = _allowed(audience, EXPECTED[endpoint])
            assert refused != expected, f"{audience} {method} {url}: {response.status_code}"


def test_an_undeclared_route_is_refused(make_app) -> None:
    app = make_app()

    @app.get("/_undeclared")
    def undeclared() -> str:
        return "should never be served"

    assert app.test_client().get("/_undeclared").status_code == 403


def test_anonymous_json_request_gets_401(web: WebFixture) -> None:
    from election.web.access import allow

    @web.app.get("/api/_private")
    @allow(Role.PRESIDIUM)
    def private() -> str:
        return "secret"

    response = web.app.test_client().get("/api/_private")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthenticated"


def test_wrong_role_gets_403(web: WebFixture) -> None:
    from election.web.access import allow

    @web.app.get("/_presidium_only")
    @allow(Role.PRESIDIUM)
    def only() -> str:
        return "ok"

    client = web.app.test_client()
    web.login(client, Role.INSPECTION)
    assert client.get("/_presidium_only").status_code == 403
    client2 = web.app.test_client()
    web.login(client2, Role.PRESIDIUM)
    assert client2.get("/_presidium_only").status_code == 200


def test_login_renews_the_session_and_rejects_bad_passwords(web: WebFixture) -> None:
    client = web.app.test_client()
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    web.login(client, Role.PRESIDIUM)
    with client.session_transaction() as s:
        assert "planted" not in s
    bad = web.app.test_client().post(
        "/login", data={"username": web.usernames[Role.PRESIDIUM], "password": "wrong"}
    )
    assert bad.status_code == 200
    assert "không đúng" in bad.get_data(as_text=True)


def test_login_redirect_is_not_open(web: WebFixture) -> None:
    client = web.app.test_client()
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": web.usernames[Role.PRESIDIUM], "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/"
