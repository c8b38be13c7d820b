"""Errors raised while reading or writing an election record (PROTOCOL.md section 9).

The tree::

    RecordError              base; carries the file and the place in it (``file``, ``where``)
    ├── RecordAccessError    the record cannot be read: missing or unexpected file, unsafe
    │                        path, a file or the whole record over its size limit
    └── RecordFormatError    a file does not decode strictly: malformed JSON, a missing or
                             unexpected key, a value of the wrong type, a bad point or scalar

Reading never guesses: the first deviation raises. Whether a record that reads is *correct*
(hashes, proofs, signatures, arithmetic) is the verifier's business (``election.verifier``).
"""

from __future__ import annotations

__all__ = ["RecordAccessError", "RecordError", "RecordFormatError"]


class RecordError(Exception):
    """Base class: something is wrong with a record file.

    ``file`` is the record-relative path (``rounds/committee-1/board.json``), ``where`` a
    JSON path inside it (``$.entries[3].receipt.time``), either may be empty.
    """

    def __init__(self, message: str, *, file: str = "", where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.file, self.where) if part)
        return f"{place}: {self.message}" if place else self.message


class RecordAccessError(RecordError):
    """The record, or one of its files, cannot be read safely."""


class RecordFormatError(RecordError):
    """A record file does not decode strictly."""
