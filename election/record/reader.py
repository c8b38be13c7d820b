"""Reading a record from a folder or a zip, strictly and within size limits.

``open_source`` gives a ``RecordSource`` over a folder or a zip file. It refuses what a
hostile record could use against its reader: symbolic links, absolute or ``..`` paths,
backslashes, duplicate or encrypted zip members, more files than ``Limits.max_files``, a
file over its size limit (checked against the bytes actually read, not only the zip
header), and more bytes in all than ``Limits.max_total_bytes``.

``read_record`` reads a whole record into the typed dataclasses, raising the first
``RecordError``. It decodes; it does not verify hashes, proofs or arithmetic: that is
``election.verifier``, which uses the per-file readers below so that one bad file is
reported by its own check without hiding the others.
"""

from __future__ import annotations

import os
import stat
import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from crypto import BallotForm
from election.record.board import AuditedBallots, Board
from election.record.congress import Ceremony, CongressManifest
from election.record.errors import RecordAccessError, RecordError
from election.record.jsonio import Node, load_json
from election.record.manifest import CredentialList, RoundManifest
from election.record.minutes import Minutes
from election.record.record import (
    CEREMONY,
    CONGRESS_MANIFEST,
    INDEX,
    Record,
    RecordIndex,
    RoundRecord,
    round_file,
)
from election.record.rules_json import round_result_from_json
from election.record.tally import Decryption, EncryptedTally
from election.rules import RoundResult

__all__ = [
    "FolderSource",
    "Limits",
    "MemorySource",
    "RecordSource",
    "ZipSource",
    "check_file_set",
    "load_node",
    "open_source",
    "read_audited",
    "read_board",
    "read_ceremony",
    "read_congress",
    "read_credentials",
    "read_decryption",
    "read_index",
    "read_minutes",
    "read_record",
    "read_result",
    "read_round",
    "read_round_manifest",
    "read_tally",
]

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Size limits of a record; a file or a record over them is refused, never truncated."""

    #: Any file but a board.
    max_file_bytes: int = 64 * MiB
    #: A round's ``board.json`` (about 60 kB per ballot of 65 names, pretty-printed).
    max_board_bytes: int = 2048 * MiB
    #: The whole record, uncompressed.
    max_total_bytes: int = 8192 * MiB
    max_files: int = 10_000

    def for_file(self, name: str) -> int:
        return self.max_board_bytes if name.endswith("/board.json") else self.max_file_bytes


class RecordSource(ABC):
    """The files of a record, by record-relative POSIX path."""

    def __init__(self, label: str, limits: Limits) -> None:
        self.label = label
        self.limits = limits

    @abstractmethod
    def names(self) -> frozenset[str]:
        """Every file in the record (no directories)."""

    @abstractmethod
    def read(self, name: str) -> bytes:
        """The bytes of ``name``; raise ``RecordAccessError`` if missing or over its limit."""

    def close(self) -> None:
        return None

    def __enter__(self) -> RecordSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


class FolderSource(RecordSource):
    """A record unpacked in a folder; symbolic links inside it are refused."""

    def __init__(self, root: Path, limits: Limits) -> None:
        super().__init__(str(root), limits)
        self.root = root
        names: set[str] = set()
        total = 0
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            here = Path(dirpath)
            for d in dirnames:
                if (here / d).is_symlink():
                    raise RecordAccessError(
                        "symbolic links are not allowed", file=_rel(root, here / d)
                    )
            for f in filenames:
                path = here / f
                info = path.lstat()
                rel = _rel(root, path)
                if not stat.S_ISREG(info.st_mode):
                    raise RecordAccessError("only regular files are allowed", file=rel)
                total += info.st_size
                names.add(rel)
                if len(names) > limits.max_files:
                    raise RecordAccessError(f"more than {limits.max_files} files")
        if total > limits.max_total_bytes:
            raise RecordAccessError(f"the record is larger than {limits.max_total_bytes} bytes")
        self._names = frozenset(names)

    def names(self) -> frozenset[str]:
        return self._names

    def read(self, name: str) -> bytes:
        if name not in self._names:
            raise RecordAccessError("file is missing", file=name)
        limit = self.limits.for_file(name)
        path = self.root / name
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise RecordAccessError("only regular files are allowed", file=name)
        if info.st_size > limit:
            raise RecordAccessError(f"file is larger than {limit} bytes", file=name)
        with path.open("rb") as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise RecordAccessError(f"file is larger than {limit} bytes", file=name)
        return data


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


class ZipSource(RecordSource):
    """A record packed as a zip of the folder's contents (directory entries are ignored)."""

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(str(path), limits)
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise RecordAccessError(f"not a readable zip file: {e}") from e
        infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            name = info.filename
            if not _safe_name(name):
                self.close()
                raise RecordAccessError("unsafe path in zip", file=name)
            if name in infos:
                self.close()
                raise RecordAccessError("duplicate zip member", file=name)
            if info.flag_bits & 0x1:
                self.close()
                raise RecordAccessError("encrypted zip member", file=name)
            infos[name] = info
            total += info.file_size
            if len(infos) > limits.max_files:
                self.close()
                raise RecordAccessError(f"more than {limits.max_files} files")
        if total > limits.max_total_bytes:
            self.close()
            raise RecordAccessError(f"the record is larger than {limits.max_total_bytes} bytes")
        self._infos = infos

    def names(self) -> frozenset[str]:
        return frozenset(self._infos)

    def read(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise RecordAccessError("file is missing", file=name)
        limit = self.limits.for_file(name)
        if info.file_size > limit:
            raise RecordAccessError(f"file is larger than {limit} bytes", file=name)
        try:
            with self._zip.open(info) as f:
                data = f.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise RecordAccessError(f"cannot read zip member: {e}", file=name) from e
        if len(data) > limit or len(data) != info.file_size:
            raise RecordAccessError("zip member size differs from its header", file=name)
        return data

    def close(self) -> None:
        self._zip.close()


class MemorySource(RecordSource):
    """A record held in memory as ``{path: bytes}`` (tests, and records built in-process)."""

    def __init__(self, files: dict[str, bytes], limits: Limits | None = None) -> None:
        limits = limits or Limits()
        super().__init__("<memory>", limits)
        for name in files:
            if not _safe_name(name):
                raise RecordAccessError("unsafe path", file=name)
        if len(files) > limits.max_files:
            raise RecordAccessError(f"more than {limits.max_files} files")
        self._files = dict(files)

    def names(self) -> frozenset[str]:
        return frozenset(self._files)

    def read(self, name: str) -> bytes:
        data = self._files.get(name)
        if data is None:
            raise RecordAccessError("file is missing", file=name)
        limit = self.limits.for_file(name)
        if len(data) > limit:
            raise RecordAccessError(f"file is larger than {limit} bytes", file=name)
        return data


def open_source(path: str | os.PathLike[str], limits: Limits | None = None) -> RecordSource:
    """Open a record folder or zip file."""
    p = Path(path)
    limits = limits or Limits()
    if p.is_dir():
        return FolderSource(p, limits)
    if p.is_file():
        return ZipSource(p, limits)
    raise RecordAccessError(f"no record folder or zip file at {p}")


# --------------------------------------------------------------------------- per-file readers
def load_node(source: RecordSource, name: str) -> Node:
    """Read and parse one file strictly."""
    return Node(load_json(source.read(name), name, max_bytes=source.limits.for_file(name)), name)


def read_index(source: RecordSource) -> RecordIndex:
    return RecordIndex.from_json(load_node(source, INDEX))


def check_file_set(source: RecordSource, index: RecordIndex) -> None:
    """Raise unless the record holds exactly the files its index implies."""
    expected = set(index.files())
    present = source.names()
    for name in sorted(expected - present):
        raise RecordAccessError("file is missing", file=name)
    for name in sorted(present - expected):
        raise RecordAccessError("unexpected file in the record", file=name)


def read_congress(source: RecordSource) -> CongressManifest:
    return CongressManifest.from_json(load_node(source, CONGRESS_MANIFEST))


def read_ceremony(source: RecordSource, congress: CongressManifest) -> Ceremony:
    return Ceremony.from_json(
        load_node(source, CEREMONY),
        guardians=len(congress.guardians),
        threshold=congress.threshold,
    )


def read_round_manifest(source: RecordSource, round_id: str) -> RoundManifest:
    return RoundManifest.from_json(load_node(source, round_file(round_id, "manifest.json")))


def read_credentials(source: RecordSource, round_id: str) -> CredentialList:
    return CredentialList.from_json(load_node(source, round_file(round_id, "credentials.json")))


def read_board(source: RecordSource, round_id: str, form: BallotForm) -> Board:
    return Board.from_json(load_node(source, round_file(round_id, "board.json")), form)


def read_audited(source: RecordSource, round_id: str, form: BallotForm) -> AuditedBallots:
    return AuditedBallots.from_json(load_node(source, round_file(round_id, "audited.json")), form)


def read_tally(source: RecordSource, round_id: str, form: BallotForm) -> EncryptedTally:
    return EncryptedTally.from_json(load_node(source, round_file(round_id, "tally.json")), form)


def read_decryption(source: RecordSource, round_id: str, form: BallotForm) -> Decryption:
    return Decryption.from_json(load_node(source, round_file(round_id, "decryption.json")), form)


def read_result(source: RecordSource, round_id: str) -> RoundResult:
    return round_result_from_json(load_node(source, round_file(round_id, "result.json")))


def read_minutes(source: RecordSource, round_id: str) -> Minutes:
    return Minutes.from_json(load_node(source, round_file(round_id, "minutes.json")))


def read_round(source: RecordSource, round_id: str) -> RoundRecord:
    manifest = read_round_manifest(source, round_id)
    form = manifest.form
    return RoundRecord(
        round_id=round_id,
        manifest=manifest,
        credentials=read_credentials(source, round_id),
        board=read_board(source, round_id, form),
        audited=read_audited(source, round_id, form),
        tally=read_tally(source, round_id, form),
        decryption=read_decryption(source, round_id, form),
        result=read_result(source, round_id),
        minutes=read_minutes(source, round_id),
    )


def read_record(path: str | os.PathLike[str], limits: Limits | None = None) -> Record:
    """Read and strictly decode a whole record; raise the first ``RecordError``.

    This does not verify the record (``election.verifier.checks`` does).
    """
    with open_source(path, limits) as source:
        index = read_index(source)
        check_file_set(source, index)
        congress = read_congress(source)
        ceremony = read_ceremony(source, congress)
        rounds = tuple(read_round(source, ref.round_id) for ref in index.rounds)
        try:
            return Record(index.scope, congress, ceremony, rounds)
        except ValueError as e:  # pragma: no cover - the index already enforces these
            raise RecordError(str(e), file=INDEX) from e
