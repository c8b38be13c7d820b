"""The election record: its files as typed dataclasses, a writer and a strict reader.

PROTOCOL.md section 9 lists what a round's record holds; ``docs/record-format.md`` is the
byte-level specification (file layout, every field, the round manifest, a worked example),
written so that someone else can write a verifier from it. This package runs without the
app: it imports ``crypto``, ``election.rules`` and the standard library, never Flask or
the database (``election.verifier`` is in the same position).

* ``Record`` / ``RoundRecord`` and the file types (``CongressManifest``, ``Ceremony``,
  ``RoundManifest``, ``CredentialList``, ``Board``, ``AuditedBallots``, ``EncryptedTally``,
  ``Decryption``, ``Minutes``; the result is the rules' ``RoundResult``, in JSON through
  ``rules_json``);
* ``write_record`` (folder or ``.zip``; deterministic bytes) and ``read_record`` (strict,
  size-limited; it decodes, it does not verify);
* ``simulate`` (``election.record.simulate``): an honest round built end to end, for tests,
  benchmarks and the demo, never for a real election.
"""

from __future__ import annotations

from election.record.board import AuditedBallot, AuditedBallots, Board, BoardEntry, Receipt
from election.record.congress import PROTOCOL, Ceremony, CongressManifest, Guardian
from election.record.errors import RecordAccessError, RecordError, RecordFormatError
from election.record.jsonio import Node, dump_json, load_json
from election.record.manifest import (
    Candidate,
    ContestInfo,
    CredentialList,
    RoundInfo,
    RoundManifest,
    RulesRef,
)
from election.record.minutes import Minutes, MinutesSignature, minutes_data, sign_minutes
from election.record.reader import (
    Limits,
    MemorySource,
    RecordSource,
    open_source,
    read_record,
)
from election.record.record import (
    FORMAT,
    ROUND_FILES,
    Record,
    RecordIndex,
    RoundRecord,
    RoundRef,
    round_file,
)
from election.record.tally import Decryption, EncryptedTally, tally_from_counts
from election.record.writer import record_bytes, write_folder, write_record, write_zip

__all__ = [
    "FORMAT",
    "PROTOCOL",
    "ROUND_FILES",
    "AuditedBallot",
    "AuditedBallots",
    "Board",
    "BoardEntry",
    "Candidate",
    "Ceremony",
    "CongressManifest",
    "ContestInfo",
    "CredentialList",
    "Decryption",
    "EncryptedTally",
    "Guardian",
    "Limits",
    "MemorySource",
    "Minutes",
    "MinutesSignature",
    "Node",
    "Receipt",
    "Record",
    "RecordAccessError",
    "RecordError",
    "RecordFormatError",
    "RecordIndex",
    "RecordSource",
    "RoundInfo",
    "RoundManifest",
    "RoundRecord",
    "RoundRef",
    "RulesRef",
    "dump_json",
    "load_json",
    "minutes_data",
    "open_source",
    "read_record",
    "record_bytes",
    "round_file",
    "sign_minutes",
    "tally_from_counts",
    "write_folder",
    "write_record",
    "write_zip",
]
