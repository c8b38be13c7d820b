"""``python -m election.verifier RECORD``: the same as ``dhvote verify RECORD``."""

from __future__ import annotations

import sys

from election.verifier.cli import main

if __name__ == "__main__":
    sys.exit(main())
