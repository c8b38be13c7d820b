"""Build ``crypto._dhgroup``: libsodium's edwards25519 code plus dhgroup.c, through cffi.

Run by ``make setup`` (``python crypto/_native/build.py``); needs a C compiler and the
Python headers, nothing from the network. The extension lands next to ``crypto/group.py``
as ``crypto/_dhgroup.<abi tag>.so`` (git-ignored). See crypto/_native/README.md.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from cffi import FFI  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
SODIUM = HERE / "libsodium"

CDEF = """
int dh_msm_vartime(unsigned char *out, size_t n, const unsigned char *scalars,
                   const unsigned char *points, const unsigned char *base_scalar);
int dh_sum(unsigned char *out, size_t n, const unsigned char *points);
int dh_msm_many(unsigned char *out, size_t n_points, const unsigned char *points, size_t n_out,
                const unsigned char *scalars, const unsigned char *base_scalars);
"""


def builder() -> FFI:
    ffi = FFI()
    ffi.cdef(CDEF)
    ffi.set_source(
        "_dhgroup",
        '#include "dhgroup.c"\n',
        include_dirs=[
            str(HERE),
            str(SODIUM / "ref10"),
            str(SODIUM / "include" / "sodium"),
        ],
        extra_compile_args=["-O2", "-fvisibility=hidden", "-Wno-unused-function"],
    )
    return ffi


def main() -> int:
    ffi = builder()
    with tempfile.TemporaryDirectory(prefix="dhgroup-build-") as tmp:
        built = Path(ffi.compile(tmpdir=tmp, verbose=False))
        target = PACKAGE / built.name
        shutil.copyfile(built, target.with_suffix(".tmp"))
        target.with_suffix(".tmp").replace(target)
    print(f"built {target.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
