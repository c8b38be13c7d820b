"""No server path takes a delegate's choices in the clear (ATTACKS.md section 11).

Choices are encrypted and signed in the booth's browser; the server only ever receives the
signed ciphertext ballot (or, for a Benaloh challenge, a ciphertext ballot together with
the randomness that opens it, which is never counted).
"""

from __future__ import annotations

import ast
from pathlib import Path

import sqlalchemy as sa

from election.models import AuditedBallot
from election.web.access import PUBLIC, TERMINAL, access_of
from tests.web.test_booth_api import Booth, booth  # noqa: F401 - the `booth` fixture

ROOT = Path(__file__).resolve().parents[2]

#: The crypto functions that turn choices into ciphertexts.
ENCRYPTION = {"encrypt", "encrypt_ballot", "_encrypt_ballot"}


def test_no_endpoint_accepts_plaintext_choices(booth: Booth) -> None:  # noqa: F811
    """T-11.c: there is no "encrypt on the server" path. The routes a booth (or anyone) may
    POST to are the sign-in, the session, the cast and the challenge; none of them stores
    anything when sent plain choices; and no module of the server package but the record
    simulator (for tests and the demo record, imported by no other module) refers to an
    encryption function of ``crypto``."""
    app = booth.web.app
    posts = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and (access_of(app.view_functions[rule.endpoint]) or set()) & {PUBLIC, TERMINAL}
    )
    assert posts == ["auth.login", "booth.cast", "booth.challenge", "booth.session"]

    round_id = booth.box.round.id
    credential = booth.box.signers[0].public.hex()
    form = booth.box.ctx.form
    plain = [1] + [0] * (len(form.counters) - 1)
    payloads: list[object] = [
        plain,
        {"choices": plain},
        {"round_id": round_id, "credential": credential, "choices": plain, "counters": plain},
        {"credential": credential, "kept": list(range(1, form.candidates))},
    ]
    for payload in payloads:
        for url in (
            f"/api/booth/rounds/{round_id}/ballots",
            f"/api/booth/rounds/{round_id}/challenges",
        ):
            response = booth.client.post(url, json=payload)
            assert response.status_code == 422, (url, payload)
            assert response.get_json()["error"] == "malformed"
        # The session call only looks the badge up: extra fields are ignored, nothing is kept.
        booth.client.post("/api/booth/session", json=payload)
    assert booth.box.board_size() == 0
    audited = booth.box.db.scalar(sa.select(sa.func.count()).select_from(AuditedBallot))
    assert audited == 0

    referring = set()
    for path in sorted((ROOT / "election").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                name: str | None = node.attr
            elif isinstance(node, ast.Name):
                name = node.id
            elif isinstance(node, ast.alias):
                name = node.name
            else:
                name = None
            module = node.module if isinstance(node, ast.ImportFrom) else None
            simulator = "simulate" in (module or "") or (
                isinstance(node, ast.alias) and "simulate" in node.name
            )
            if name in ENCRYPTION or simulator:
                referring.add(str(path.relative_to(ROOT)))
    assert referring == {"election/record/simulate.py"}
