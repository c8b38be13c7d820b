"""The dh-vote ballot protocol (PROTOCOL.md, docs/protocol.md) in pure Python.

Only PyNaCl (libsodium) and cryptography are used beneath this package; it
does no I/O and imports neither Flask nor a database. Verification functions
raise (``crypto.errors``); none returns ``False``. Election-level calls sit on
top (``ballot``, ``keyceremony``, ``decryption``, ``board``) and the group and
hashing arithmetic underneath (``group``, ``hashing``, ``elgamal``, ``proofs``).
"""

from crypto.ballot import (
    TRACKING_GROUP,
    TRACKING_GROUPS,
    TRACKING_GROUPS_MAX,
    BallotSecrets,
    CiphertextBallot,
    RoundContext,
    audit_ballot,
    ballot_hash,
    encrypt_ballot,
    tracking_code,
    tracking_codes,
    verify_audited,
    verify_ballot,
)
from crypto.board import (
    board_head,
    chain_genesis,
    chain_next,
    sign_receipt,
    verify_chain,
    verify_receipt,
)
from crypto.canonical import canonical_json, parse_json
from crypto.credential import (
    CredentialKey,
    check_public_credential,
    format_code,
    generate_code,
    parse_code,
    verify_signature,
)
from crypto.decryption import (
    DecryptionShare,
    DlogTable,
    combine_shares,
    compute_share,
    decrypt_tally,
    lagrange_coefficient,
    verify_decryption_share,
)
from crypto.ecies import open_share, seal_share
from crypto.elgamal import Ciphertext, combine, encrypt, sum_ciphertexts
from crypto.errors import (
    CryptoError,
    DecryptionError,
    DiscreteLogError,
    EncodingError,
    InvalidBallot,
    InvalidCredential,
    InvalidPoint,
    InvalidProof,
    InvalidScalar,
    InvalidShare,
    InvalidSignature,
)
from crypto.forms import BallotForm, agree_disagree, choose_at_most, cross_out, form_for
from crypto.group import GROUP_NAME, IDENTITY, G, L, Point, Scalar
from crypto.hashing import H, Hs, Tag
from crypto.keyceremony import (
    GuardianCommitments,
    Polynomial,
    default_threshold,
    joint_key,
    public_share,
    verify_commitments,
    verify_share,
)
from crypto.keyfile import open_keyfile, seal_keyfile
from crypto.manifest import congress_hash, credential_list_hash, minutes_message, round_hash

__all__ = [
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
]
