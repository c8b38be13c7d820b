"""The public surface of ``crypto``: curated ``__all__`` and no Flask or database import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import crypto

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "GROUP_NAME",
    "IDENTITY",
    "BallotForm",
    "BallotSecrets",
    "Ciphertext",
    "CiphertextBallot",
    "CredentialKey",
    "CryptoError",
    "DecryptionError",
    "DecryptionShare",
    "DiscreteLogError",
    "DlogTable",
    "EncodingError",
    "G",
    "GuardianCommitments",
    "H",
    "Hs",
    "InvalidBallot",
    "InvalidCredential",
    "InvalidPoint",
    "InvalidProof",
    "InvalidScalar",
    "InvalidShare",
    "InvalidSignature",
    "L",
    "Point",
    "Polynomial",
    "RoundContext",
    "Scalar",
    "Tag",
    "agree_disagree",
    "audit_ballot",
    "ballot_hash",
    "board_head",
    "canonical_json",
    "chain_genesis",
    "chain_next",
    "check_public_credential",
    "choose_at_most",
    "combine",
    "combine_shares",
    "compute_share",
    "congress_hash",
    "credential_list_hash",
    "cross_out",
    "decrypt_tally",
    "default_threshold",
    "encrypt",
    "encrypt_ballot",
    "form_for",
    "format_code",
    "generate_code",
    "joint_key",
    "lagrange_coefficient",
    "minutes_message",
    "open_keyfile",
    "open_share",
    "parse_code",
    "parse_json",
    "public_share",
    "round_hash",
    "seal_keyfile",
    "seal_share",
    "sign_receipt",
    "sum_ciphertexts",
    "TRACKING_GROUP",
    "TRACKING_GROUPS",
    "TRACKING_GROUPS_MAX",
    "tracking_code",
    "tracking_codes",
    "verify_audited",
    "verify_ballot",
    "verify_chain",
    "verify_commitments",
    "verify_decryption_share",
    "verify_receipt",
    "verify_share",
    "verify_signature",
}


def test_all_is_curated() -> None:
    # Fails when the public API drifts: update EXPECTED and crypto/README.md together.
    assert set(crypto.__all__) == EXPECTED
    assert all(hasattr(crypto, name) for name in crypto.__all__)


def test_importing_crypto_loads_no_web_or_database_module() -> None:
    code = (
        "import sys, crypto, crypto._testing; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'werkzeug', 'jinja2', 'election', 'psycopg')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_crypto_sources_import_only_allowed_packages() -> None:
    import ast

    allowed = {"crypto", "nacl", "cryptography", "__future__"}
    stdlib = set(sys.stdlib_module_names)
    for path in (ROOT / "crypto").rglob("*.py"):
        # The native extension's build script (run by `make setup`, never imported) uses cffi.
        build_tool = path.parent.name == "_native"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                ok = top in allowed or top in stdlib or (build_tool and top == "cffi")
                assert ok, f"{path.name} imports {name}"
