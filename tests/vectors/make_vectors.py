"""Generate the shared Python/JavaScript test vectors in ``tests/vectors/*.json``.

Run ``python -m tests.vectors.make_vectors`` after a deliberate protocol
change; ``tests/crypto/test_vectors.py`` fails while the committed files and
this generator disagree, and the JS tests (``tests/js``) fail while the JS
disagrees with the files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl import bindings as sodium

from crypto import (
    CredentialKey,
    DlogTable,
    G,
    L,
    Polynomial,
    RoundContext,
    Scalar,
    agree_disagree,
    canonical_json,
    choose_at_most,
    cross_out,
    decrypt_tally,
    encrypt,
    format_code,
    joint_key,
    lagrange_coefficient,
    minutes_message,
    open_keyfile,
    open_share,
    public_share,
    round_hash,
    sum_ciphertexts,
    tracking_code,
    verify_decryption_share,
    verify_share,
)
from crypto._testing import test_bytes, test_rand
from crypto.ballot import _encrypt_ballot
from crypto.credential import luhn32_check
from crypto.decryption import _compute_share
from crypto.ecies import _seal_share
from crypto.hashing import H, Hs, Tag
from crypto.keyfile import _seal_keyfile

HERE = Path(__file__).parent
CONGRESS = "dhv-demo-2026"

# The eight points of small order on edwards25519 (canonical encodings) and
# non-canonical variants: all must be refused wherever a point is read.
SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
]
NON_CANONICAL = [
    # y = p (non-canonical 0), y = p + 1 (non-canonical identity), y >= p variants.
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    # The identity with the sign bit set ("negative zero").
    "0100000000000000000000000000000000000000000000000000000000000080",
]


def _hex(b: bytes) -> str:
    return b.hex()


def hashing_vectors() -> dict[str, Any]:
    cases = [
        {"tag": Tag.PROOF01, "items": []},
        {"tag": Tag.BOARD, "items": [{"bytes": "00" * 64}]},
        {"tag": Tag.PROOF_SET, "items": [{"int": 0}, {"int": 1}, {"int": 2**53 - 1}]},
        {"tag": Tag.CREDENTIAL, "items": [{"str": CONGRESS}, {"str": "Đại hội Đảng bộ"}]},
        {"tag": Tag.SCHNORR, "items": [{"point": G.hex()}, {"scalar": Scalar.from_int(7).hex()}]},
    ]
    for case in cases:
        items = []
        for item in case["items"]:
            ((kind, value),) = item.items()
            items.append(bytes.fromhex(value) if kind in ("bytes", "point", "scalar") else value)
        case["H"] = H(case["tag"], *items).hex()
        case["Hs"] = Hs(case["tag"], *items).hex()
    return {"tags": {k: v for k, v in vars(Tag).items() if k.isupper()}, "cases": cases}


def canonical_vectors() -> dict[str, Any]:
    values: list[Any] = [
        {"b": 1, "a": [True, False, None], "c": {"z": "x", "y": -5}},
        {"text": 'Bí thư — "trích dẫn" \\ \n\t\u0001 \u2028 ✓', "n": 2**53 - 1},
        [],
        {},
        {"nested": [[1, 2], {"k": ""}], "A": 0, "a": 0, "_": -(2**53 - 1)},
    ]
    return {
        "valid": [{"value": v, "canonical": canonical_json(v).decode()} for v in values],
        # Each of these must be refused by canonical_json / canonicalJson.
        "invalid": [
            {"json": '{"x": 1.5}', "why": "float"},
            {"json": '{"x": 9007199254740992}', "why": "unsafe integer"},
            {"json": '{"ключ": 1}', "why": "non-ASCII key"},
            {"json": '{"x": "\\ud800"}', "why": "lone surrogate"},
        ],
    }


def group_vectors() -> dict[str, Any]:
    rand = test_rand("group")
    muls = []
    for _ in range(3):
        s, t = rand(), rand()
        P = t * G
        muls.append(
            {
                "s": s.hex(),
                "P": P.hex(),
                "sG": (s * G).hex(),
                "sP": (s * P).hex(),
                "P+sG": (P + s * G).hex(),
            }
        )
    off_curve = []
    y = 2
    while len(off_curve) < 3:
        enc = y.to_bytes(32, "little")
        if not sodium.crypto_core_ed25519_is_valid_point(enc):
            try:
                sodium.crypto_core_ed25519_add(enc, G.encode())
                on_curve = True
            except Exception:
                on_curve = False
            if not on_curve:
                off_curve.append(enc.hex())
        y += 1
    # A point of mixed order: a valid prime-order point plus a small-order one.
    P = rand() * G
    mixed = sodium.crypto_core_ed25519_add(P.encode(), bytes.fromhex(SMALL_ORDER[4]))
    return {
        "L": str(L),
        "G": G.hex(),
        "identity": SMALL_ORDER[0],
        "multiplications": muls,
        "invalid_points": {
            "small_order": SMALL_ORDER,
            "non_canonical": NON_CANONICAL,
            "off_curve": off_curve,
            "mixed_order": [mixed.hex()],
        },
        "invalid_scalars": [
            L.to_bytes(32, "little").hex(),
            (L + 1).to_bytes(32, "little").hex(),
            (2**256 - 1).to_bytes(32, "little").hex(),
        ],
        "valid_scalars": [(L - 1).to_bytes(32, "little").hex(), "00" * 32],
    }


def credential_vectors() -> dict[str, Any]:
    cases = []
    for i in range(4):
        body = "".join(
            "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[b % 32] for b in test_bytes(f"cred{i}", 20)
        )
        code = body + luhn32_check(body)
        key = CredentialKey(CONGRESS, code)
        seed = H(Tag.CREDENTIAL, CONGRESS, body)[:32]
        cases.append(
            {
                "congress": CONGRESS,
                "code": code,
                "formatted": format_code(code),
                "seed": seed.hex(),
                "public": key.public.hex(),
                "signature_of_abc": key.sign(b"abc").hex(),
            }
        )
    typed = cases[0]["formatted"].lower().replace("0", "o").replace("1", "l")
    bad = cases[0]["code"][:5] + ("0" if cases[0]["code"][5] != "0" else "1") + cases[0]["code"][6:]
    return {
        "cases": cases,
        "typed_variants": [{"typed": typed, "canonical": cases[0]["code"][:20]}],
        "invalid_codes": [
            bad,
            cases[0]["code"][:-1],
            cases[0]["code"] + "0",
            "U" * 21,
            # A dotless i upper-cases to I (an alias of 1) in Unicode: refused before folding.
            "\u0131" + cases[0]["code"][1:],
        ],
    }


def _context(seed: str, form: Any) -> RoundContext:
    rand = test_rand(seed + "/key")
    K = rand() * G
    manifest = {"congress": CONGRESS, "round": seed, "form": form.to_json(), "joint_key": K.hex()}
    return RoundContext(round_hash(manifest), K, form)


def ballot_vectors() -> dict[str, Any]:
    k11 = [1] * 9 + [0, 0]
    cases_spec: list[tuple[str, Any, list[int]]] = [
        ("cross-out-11-9-valid", cross_out(11, 9), k11 + [0, 0]),
        ("cross-out-11-9-keeps-5", cross_out(11, 9), [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0] + [0, 0]),
        ("cross-out-11-9-invalid-over", cross_out(11, 9), [0] * 11 + [1, 0]),
        ("cross-out-11-9-invalid-none", cross_out(11, 9), [0] * 11 + [0, 1]),
        ("cross-out-2-1", cross_out(2, 1), [0, 1, 0, 0]),
        ("agree-disagree-3", agree_disagree(3), [1, 0, 0, 0, 0, 1]),
        ("agree-disagree-1-agree", agree_disagree(1), [1, 0, 0]),
        ("agree-disagree-1-invalid", agree_disagree(1), [0, 0, 1]),
        ("choose-at-most-4-1", choose_at_most(4, 1), [0, 0, 1, 0]),
    ]
    cases = []
    for i, (name, form, counters) in enumerate(cases_spec):
        ctx = _context(name, form)
        body = "".join(
            "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[b % 32] for b in test_bytes(f"voter{i}", 20)
        )
        code = body + luhn32_check(body)
        key = CredentialKey(CONGRESS, code)
        nonce = test_bytes(name + "/nonce", 16)
        ballot, secrets = _encrypt_ballot(ctx, counters, key, test_rand(name), nonce)
        cases.append(
            {
                "name": name,
                "congress": CONGRESS,
                "round_hash": ctx.round_hash.hex(),
                "joint_key": ctx.joint_key.hex(),
                "form": form.to_json(),
                "counters": counters,
                "code": code,
                "rng_seed": name,
                "nonce": nonce.hex(),
                "randomness": [r.hex() for r in secrets.randomness],
                "ballot": ballot.to_json(),
                "ballot_hash": ballot.hash().hex(),
                "tracking_code": tracking_code(ballot.hash()),
            }
        )
    return {"cases": cases}


def guardian_vectors() -> dict[str, Any]:
    """Key ceremony, share boxes, key file, decryption shares and minutes (guardian JS)."""
    n, t = 3, 2
    polys = [Polynomial.random(t, test_rand(f"poly{i}")) for i in range(1, n + 1)]
    commits = [p.commit(CONGRESS, i, test_rand(f"schnorr{i}")) for i, p in enumerate(polys, 1)]
    comm_secret = test_rand("comm")()
    box = _seal_share(
        CONGRESS,
        1,
        2,
        comm_secret * G,
        polys[0].evaluate(2),
        test_rand("ecies"),
        test_bytes("ecies", 12),
    )
    share_secret = test_rand("share")()
    tally = [_context("tally", cross_out(2, 1)).joint_key]  # any valid point as A
    from crypto.elgamal import Ciphertext

    ct = Ciphertext(tally[0], tally[0])
    dshare = _compute_share(b"\x11" * 64, 2, share_secret, [ct], test_rand("dshare"))
    return {
        "congress": CONGRESS,
        "threshold": t,
        "commitments": [c.to_json() for c in commits],
        "shares": {
            f"{i}->{j}": polys[i - 1].evaluate(j).hex()
            for i in range(1, n + 1)
            for j in range(1, n + 1)
        },
        "ecies": {
            "from": 1,
            "to": 2,
            "recipient_secret": comm_secret.hex(),
            "share": polys[0].evaluate(2).hex(),
            "box": box,
        },
        "decryption": {
            "round_hash": (b"\x11" * 64).hex(),
            "guardian": 2,
            "secret": share_secret.hex(),
            "A": ct.A.hex(),
            "share": dshare.to_json(),
        },
        **_guardian_ceremony_vectors(n, polys, commits),
    }


# A Vietnamese passphrase (NFC), so that the key file pins the UTF-8 encoding of scrypt's input.
KEYFILE_PASSPHRASE = "mật khẩu dài của ban kiểm phiếu 2026"
# Ballots behind the tally vector: one row per ballot, one column per counter. The columns
# sum to 0 (the identity, decrypted), 5 (every ballot) and values in between.
TALLY_BALLOTS = [
    [1, 0, 1, 1],
    [1, 0, 0, 1],
    [0, 0, 1, 1],
    [1, 0, 0, 1],
    [0, 0, 0, 1],
]


def _guardian_ceremony_vectors(
    n: int, polys: list[Polynomial], commits: list[Any]
) -> dict[str, Any]:
    """The whole ceremony of ``guardian_vectors`` followed through, for the guardian JS.

    Every guardian's secret and public share, share boxes for every ordered pair (each
    opened and checked here), a key file sealed with a pinned salt and nonce, decryption
    shares of a 4-counter tally by every guardian, Lagrange coefficients of every
    participating set, and minutes signatures.
    """
    members = range(1, n + 1)
    secret_shares = {}
    for j in members:
        acc = Scalar.from_int(0)
        for i in members:
            acc = acc + polys[i - 1].evaluate(j)
        secret_shares[j] = acc
    K = joint_key(commits)
    public = {j: public_share(j, commits) for j in members}
    assert all(secret_shares[j] * G == public[j] for j in members)

    comm = {j: test_rand(f"comm/{j}")() for j in members}
    boxes = []
    for i in members:
        for j in members:
            if i == j:
                continue
            label = f"ecies/{i}->{j}"
            share = polys[i - 1].evaluate(j)
            box = _seal_share(
                CONGRESS, i, j, comm[j] * G, share, test_rand(label), test_bytes(label, 12)
            )
            assert open_share(CONGRESS, i, j, comm[j], box) == share
            verify_share(j, share, commits[i - 1])
            boxes.append({"from": i, "to": j, "rng_seed": label, "share": share.hex(), "box": box})

    # The minutes-signing key of member j is an Ed25519 seed kept in its key file, with the
    # joint key K its device computed in the ceremony (checked against each round, T-3.c).
    seeds = {j: test_bytes(f"minutes/{j}", 32) for j in members}
    kf_secret = {
        "communication_secret": comm[2].hex(),
        "secret_share": secret_shares[2].hex(),
        "signing_seed": seeds[2].hex(),
        "joint_key": K.encode().hex(),
    }
    salt, nonce = test_bytes("keyfile/salt", 16), test_bytes("keyfile/nonce", 12)
    keyfile = _seal_keyfile(CONGRESS, 2, kf_secret, KEYFILE_PASSPHRASE, salt, nonce)
    assert open_keyfile(keyfile, KEYFILE_PASSPHRASE) == kf_secret

    h_R = round_hash({"congress": CONGRESS, "round": "guardian-tally"})
    rand = test_rand("tally/ballots")
    columns: list[list[Any]] = [[] for _ in TALLY_BALLOTS[0]]
    for row in TALLY_BALLOTS:
        for c, m in enumerate(row):
            columns[c].append(encrypt(m, K, rand()))
    tally = [sum_ciphertexts(col) for col in columns]
    counts = [sum(col) for col in zip(*TALLY_BALLOTS, strict=True)]
    shares = {}
    for j in members:
        shares[j] = _compute_share(h_R, j, secret_shares[j], tally, test_rand(f"tally/share/{j}"))
        verify_decryption_share(h_R, public[j], tally, shares[j])
    sets = [[1, 2], [1, 3], [2, 3], [1, 2, 3]]
    table = DlogTable(len(TALLY_BALLOTS))
    for subset in sets:
        assert decrypt_tally(tally, {j: shares[j] for j in subset}, 2, table) == tuple(counts)

    minutes = {
        "congress": {"id": CONGRESS, "name": "Đại hội đại biểu Đảng bộ mô phỏng lần thứ I"},
        "contest": {"id": "committee", "title": "Bầu Ban Chấp hành", "seats": 1},
        "round": {"number": 1, "seats": 1, "hash": h_R.hex()},
        "counting_board": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
        "ballots": {"issued": 5, "cast": 5, "valid": 5, "invalid": []},
        "candidates": [
            {"id": "c1", "name": "Phạm Thị Dung", "votes": 3, "percent": "60,00%"},
        ],
        "status": "complete",
    }
    message = minutes_message(minutes)
    signatures = []
    for j in members:
        key = Ed25519PrivateKey.from_private_bytes(seeds[j])
        signatures.append(
            {
                "guardian": j,
                "seed": seeds[j].hex(),
                "public": key.public_key().public_bytes_raw().hex(),
                "signature": key.sign(message).hex(),
            }
        )

    return {
        "ceremony": {
            "guardians": n,
            "joint_key": K.hex(),
            "public_shares": {str(j): public[j].hex() for j in members},
            "secret_shares": {str(j): secret_shares[j].hex() for j in members},
            "communication_secrets": {str(j): comm[j].hex() for j in members},
            "boxes": boxes,
        },
        "keyfile": {
            "passphrase": KEYFILE_PASSPHRASE,
            "guardian": 2,
            "secret": kf_secret,
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "file": keyfile,
        },
        "tally": {
            "round_hash": h_R.hex(),
            "ballots": len(TALLY_BALLOTS),
            "ciphertexts": [ct.to_json() for ct in tally],
            "counts": counts,
            "shares": {str(j): shares[j].to_json() for j in members},
            "lagrange": [
                {
                    "participants": subset,
                    "coefficients": {str(j): lagrange_coefficient(j, subset).hex() for j in subset},
                }
                for subset in sets
            ],
        },
        "minutes": {
            "data": minutes,
            "message": message.hex(),
            "signatures": signatures,
        },
    }


GENERATORS = {
    "hashing": hashing_vectors,
    "canonical": canonical_vectors,
    "group": group_vectors,
    "credential": credential_vectors,
    "ballots": ballot_vectors,
    "guardian": guardian_vectors,
}


def render(name: str) -> str:
    return json.dumps(GENERATORS[name](), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    for name in GENERATORS:
        (HERE / f"{name}.json").write_text(render(name), encoding="utf-8")
        print(f"wrote tests/vectors/{name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
