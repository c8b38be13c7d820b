#!/usr/bin/env bash
# Set up the reference peer for benchmarks: ElectionGuard 1.4.0 on Python 3.9.18,
# in its own virtualenv bench/peer/.venv (separate from the project's environment).
#
# Idempotent: a stamp file records what was installed; when it matches the current
# requirements.txt, setup.sh, and interpreter, the script exits at once.
#
# Environment overrides:
#   PEER_PYTHON=/path/to/python3.9.18   use this interpreter instead of pyenv's 3.9.18
#   PEER_FORCE=1                        ignore the stamp and re-check/re-install
set -euo pipefail

PY_VERSION="3.9.18"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
REQS="$HERE/requirements.txt"
STAMP="$VENV/.peer-setup.stamp"
GMPY2_PIN="$(grep -E '^gmpy2==' "$REQS" | head -n1)"

log() { printf '[peer-setup] %s\n' "$*" >&2; }
die() { printf '[peer-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- interpreter
find_python() {
    if [[ -n "${PEER_PYTHON:-}" ]]; then
        printf '%s\n' "$PEER_PYTHON"
        return
    fi
    local root=""
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root 2>/dev/null || true)"
    elif [[ -x "${PYENV_ROOT:-/root/.pyenv}/bin/pyenv" ]]; then
        root="$("${PYENV_ROOT:-/root/.pyenv}/bin/pyenv" root 2>/dev/null || true)"
    fi
    local cand
    for cand in \
        "${root:+$root/versions/$PY_VERSION/bin/python}" \
        "${PYENV_ROOT:+$PYENV_ROOT/versions/$PY_VERSION/bin/python}" \
        "/root/.pyenv/versions/$PY_VERSION/bin/python"; do
        if [[ -n "$cand" && -x "$cand" ]]; then
            printf '%s\n' "$cand"
            return
        fi
    done
    return 1
}

PY="$(find_python)" || die "Python $PY_VERSION not found. ElectionGuard 1.4.0 needs Python 3.9 (>=3.9.5).
  Looked in \$(pyenv root)/versions/$PY_VERSION, \$PYENV_ROOT/versions/$PY_VERSION and /root/.pyenv/versions/$PY_VERSION.
  Install it with 'pyenv install $PY_VERSION', or point PEER_PYTHON at a Python $PY_VERSION interpreter."
[[ -x "$PY" ]] || die "PEER_PYTHON=$PY is not an executable"
got="$("$PY" -c 'import platform; print(platform.python_version())' 2>/dev/null || true)"
[[ "$got" == "$PY_VERSION" ]] || die "$PY is Python '${got:-?}', expected $PY_VERSION"

# ---------------------------------------------------------------- fast path
want_stamp="$(cat "$REQS" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1) $PY $PY_VERSION"
if [[ -z "${PEER_FORCE:-}" && -f "$STAMP" && -x "$VENV/bin/python" ]] \
        && [[ "$(cat "$STAMP")" == "$want_stamp" ]]; then
    log "up to date ($VENV)"
    exit 0
fi

start=$SECONDS

# ---------------------------------------------------------------- venv
if [[ -x "$VENV/bin/python" ]]; then
    venv_ver="$("$VENV/bin/python" -c 'import platform; print(platform.python_version())' 2>/dev/null || true)"
    if [[ "$venv_ver" != "$PY_VERSION" ]]; then
        log "existing venv is Python '${venv_ver:-broken}', recreating"
        rm -rf "$VENV"
    fi
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV with $PY"
    "$PY" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
PIP=("$VPY" -m pip --disable-pip-version-check --no-input)

# ---------------------------------------------------------------- gmpy2
# Prefer the binary wheel (bundles GMP/MPFR/MPC). Only if no wheel can be used do we build
# from source, which needs the GMP/MPFR/MPC headers: install them via apt only then.
if ! "$VPY" -c 'import gmpy2' >/dev/null 2>&1 \
        || [[ "$("$VPY" -c 'import gmpy2; print("gmpy2==" + gmpy2.version())')" != "$GMPY2_PIN" ]]; then
    log "installing $GMPY2_PIN (binary wheel)"
    if ! "${PIP[@]}" install -q --only-binary=gmpy2 "$GMPY2_PIN"; then
        log "no usable gmpy2 wheel; building $GMPY2_PIN from source"
        need=()
        for pkg in libgmp-dev libmpfr-dev libmpc-dev; do
            dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
        done
        if (( ${#need[@]} )); then
            command -v apt-get >/dev/null 2>&1 || die "need ${need[*]} to build gmpy2, and apt-get is not available"
            SUDO=()
            [[ "$(id -u)" == 0 ]] || SUDO=(sudo)
            log "apt-get install ${need[*]}"
            "${SUDO[@]}" apt-get update -qq
            DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${need[@]}"
        fi
        "${PIP[@]}" install -q --no-binary=gmpy2 "$GMPY2_PIN"
    fi
fi

# ---------------------------------------------------------------- electionguard + pinned deps
log "installing pinned requirements ($REQS)"
"${PIP[@]}" install -q -r "$REQS"
"${PIP[@]}" check >&2 || die "pip check found inconsistent dependencies in $VENV"

# ---------------------------------------------------------------- import check
"$VPY" - "$REQS" <<'PYEOF' || die "import check failed"
import sys
from importlib.metadata import version

pins = {}
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if "==" in line:
        name, ver = line.split("==", 1)
        pins[name.strip()] = ver.strip()

import gmpy2
import electionguard
from electionguard.constants import get_constants

for name in ("electionguard", "gmpy2"):
    got = version(name)
    if got != pins[name]:
        sys.exit(f"{name} is {got}, pinned {pins[name]}")
assert gmpy2.version() == pins["gmpy2"], gmpy2.version()
print(
    f"[peer-setup] ok: python {sys.version.split()[0]}, electionguard {version('electionguard')}, "
    f"gmpy2 {gmpy2.version()} (GMP {gmpy2.mp_version()}), "
    f"p has {int(get_constants().large_prime).bit_length()} bits",
    file=sys.stderr,
)
PYEOF

printf '%s\n' "$want_stamp" > "$STAMP"
log "done in $((SECONDS - start))s"
