"""Writing and reading a record: layout, deterministic bytes, strict and limited reading."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from election.record import (
    FORMAT,
    Limits,
    RecordAccessError,
    RecordFormatError,
    dump_json,
    read_record,
    record_bytes,
    write_folder,
    write_record,
    write_zip,
)
from election.record.reader import read_index, read_round_manifest
from election.record.simulate import simulate
from tests.record.sims import files_of, small_round, source_of

RID = "committee-1"


def _round_file(name: str) -> str:
    return f"rounds/{RID}/{name}"


def test_layout_is_the_documented_one() -> None:
    names = set(record_bytes(small_round().record))
    assert names == {
        "record.json",
        "congress/manifest.json",
        "congress/ceremony.json",
        *(
            _round_file(n)
            for n in (
                "manifest.json",
                "credentials.json",
                "board.json",
                "audited.json",
                "tally.json",
                "decryption.json",
                "result.json",
                "minutes.json",
            )
        ),
    }
    index = small_round().record.files()["record.json"]
    assert index["format"] == FORMAT and index["scope"] == "round"


def test_folder_and_zip_read_back_to_the_same_bytes(tmp_path: Path) -> None:
    record = small_round().record
    expected = record_bytes(record)
    write_folder(record, tmp_path / "folder")
    write_zip(record, tmp_path / "record.zip")
    for path in (tmp_path / "folder", tmp_path / "record.zip"):
        assert record_bytes(read_record(path)) == expected
    on_disk = {
        p.relative_to(tmp_path / "folder").as_posix(): p.read_bytes()
        for p in (tmp_path / "folder").rglob("*")
        if p.is_file()
    }
    assert on_disk == expected


def test_files_are_canonical_pretty_json() -> None:
    for name, data in record_bytes(small_round().record).items():
        value = json.loads(data)
        assert data == dump_json(value), name
        assert data.endswith(b"}\n")
        assert (
            json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False).encode() + b"\n" == data
        )


def test_one_seed_gives_one_record_byte_for_byte(tmp_path: Path) -> None:
    again = simulate(names=4, seats=2, ballots=6, guardians=3, threshold=2, audited=1)
    assert record_bytes(again.record) == record_bytes(small_round().record)
    a = write_zip(again.record, tmp_path / "a.zip").read_bytes()
    b = write_record(small_round().record, tmp_path / "b.zip").read_bytes()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
    other = simulate(names=4, seats=2, ballots=6, guardians=3, threshold=2, audited=1, seed="x")
    assert record_bytes(other.record) != record_bytes(again.record)


def test_writer_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("x")
    with pytest.raises(FileExistsError):
        write_folder(small_round().record, tmp_path)


# --------------------------------------------------------------------------- strict reading
def _read_changed(change: str, value: object, name: str = _round_file("manifest.json")) -> None:
    files = files_of(small_round().record)
    target = files[name]
    *path, last = change.split("/")
    for key in path:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    source = source_of(files)
    read_round_manifest(source, RID)


@pytest.mark.parametrize(
    ("change", "value", "where"),
    [
        ("extra", 1, "$"),
        ("joint_key", KeyError, "$"),
        ("round/number", True, "$.round.number"),
        ("joint_key", "AB" * 32, "$.joint_key"),
        ("joint_key", "00" * 32, "$.joint_key"),
        ("eligible/hash", "ab" * 63, "$.eligible.hash"),
        ("contest/candidates/0/name", " padded", "$.contest.candidates[0].name"),
        ("contest/position", "king", "$.contest.position"),
        ("form/seats", 3, "$.form"),
        ("code/booth.js", "sha384-short", "$.code.booth.js"),
        ("round/kind", "tie_break", "$.round"),
    ],
)
def test_manifest_fields_decode_strictly(change: str, value: object, where: str) -> None:
    with pytest.raises(RecordFormatError) as info:
        _read_changed(change, value)
    assert info.value.file == _round_file("manifest.json")
    assert info.value.where == where


def test_json_is_parsed_strictly() -> None:
    record = small_round().record
    files = record_bytes(record)
    manifest = files[_round_file("manifest.json")]
    for bad in (
        manifest.replace(b'"seats": 2', b'"seats": 2.0', 1),
        manifest.replace(b"{", b'{"protocol": "x",', 1),
        b"\xff" + manifest,
    ):
        from election.record.reader import MemorySource

        with pytest.raises(RecordFormatError, match="strict JSON"):
            read_round_manifest(MemorySource({**files, _round_file("manifest.json"): bad}), RID)


def test_missing_and_unexpected_files(tmp_path: Path) -> None:
    record = small_round().record
    write_folder(record, tmp_path / "r")
    (tmp_path / "r" / "notes.txt").write_text("hello")
    with pytest.raises(RecordAccessError, match="unexpected") as info:
        read_record(tmp_path / "r")
    assert info.value.file == "notes.txt"
    (tmp_path / "r" / "notes.txt").unlink()
    (tmp_path / "r" / _round_file("tally.json")).unlink()
    with pytest.raises(RecordAccessError, match="missing"):
        read_record(tmp_path / "r")


def test_symlinks_in_a_folder_are_refused(tmp_path: Path) -> None:
    write_folder(small_round().record, tmp_path / "r")
    target = tmp_path / "r" / _round_file("tally.json")
    target.unlink()
    target.symlink_to(tmp_path / "r" / "record.json")
    with pytest.raises(RecordAccessError, match="regular"):
        read_record(tmp_path / "r")


@pytest.mark.parametrize("member", ["../evil.json", "/abs.json", "a\\b.json", "rounds/./x.json"])
def test_unsafe_zip_members_are_refused(tmp_path: Path, member: str) -> None:
    path = write_zip(small_round().record, tmp_path / "r.zip")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(member, b"{}")
    with pytest.raises(RecordAccessError, match="unsafe"):
        read_record(path)


def test_size_limits(tmp_path: Path) -> None:
    record = small_round().record
    path = write_zip(record, tmp_path / "r.zip")
    with pytest.raises(RecordAccessError, match="larger"):
        read_record(path, Limits(max_file_bytes=1000))
    with pytest.raises(RecordAccessError, match="larger"):
        read_record(path, Limits(max_total_bytes=10_000))
    with pytest.raises(RecordAccessError, match="files"):
        read_record(path, Limits(max_files=5))
    write_folder(record, tmp_path / "f")
    with pytest.raises(RecordAccessError, match="larger"):
        read_record(tmp_path / "f", Limits(max_board_bytes=1000))


def test_not_a_record(tmp_path: Path) -> None:
    with pytest.raises(RecordAccessError):
        read_record(tmp_path / "nothing-here")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(RecordAccessError, match="zip"):
        read_record(tmp_path / "junk.zip")


def test_index_refuses_another_format() -> None:
    files = files_of(small_round().record)
    files["record.json"]["format"] = "dh-vote-record/v2"
    with pytest.raises(RecordFormatError) as info:
        read_index(source_of(files))
    assert (info.value.file, info.value.where) == ("record.json", "$.format")


def test_the_worked_example_of_the_format_document() -> None:
    """docs/record-format.md section 8 quotes these values; keep the two in step."""
    example = simulate(
        names=2, seats=1, ballots=2, guardians=3, threshold=2, audited=1, seed="example"
    )
    doc = (Path(__file__).resolve().parents[2] / "docs" / "record-format.md").read_text()
    r = example.round
    for value in (example.congress.manifest.hash(), r.manifest.hash(), r.board.head):
        assert f"`{value.hex()[:16]}`" in doc
    assert r.board.entries[0].ballot.nonce.hex() in doc
    assert [m for _, m in r.decryption.counts] == [2, 0, 0, 0]
