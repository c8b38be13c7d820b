"""Writing a record as a folder or a zip, with deterministic bytes.

Every file is ``jsonio.dump_json`` of its value (sorted keys, two-space indentation, UTF-8,
final newline). The zip holds the folder's contents in sorted path order, without directory
entries, each member stored with the same fixed time stamp (1980-01-01 00:00), permissions
0644 and DEFLATE at level 9, so one record always gives the same zip bytes (with the same
zlib).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from election.record.jsonio import dump_json
from election.record.record import Record

__all__ = ["record_bytes", "write_folder", "write_record", "write_zip"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def record_bytes(record: Record) -> dict[str, bytes]:
    """Every file of the record, by record-relative path, as the bytes written."""
    return {name: dump_json(value) for name, value in sorted(record.files().items())}


def write_folder(record: Record, path: str | os.PathLike[str]) -> Path:
    """Write the record into a new (or empty) folder ``path``; return it."""
    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(f"{root} exists and is not an empty folder")
    for name, data in record_bytes(record).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def write_zip(record: Record, path: str | os.PathLike[str]) -> Path:
    """Write the record as a zip file ``path`` (replaced if it exists); return it."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w") as zf:
        for name, data in record_bytes(record).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the permissions above are read as such
            zf.writestr(info, data, compresslevel=9)
    partial.replace(target)
    return target


def write_record(record: Record, path: str | os.PathLike[str]) -> Path:
    """A zip when ``path`` ends in ``.zip``, otherwise a folder."""
    if str(path).endswith(".zip"):
        return write_zip(record, path)
    return write_folder(record, path)
