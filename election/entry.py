"""The ``dhvote`` command.

``dhvote verify RECORD`` runs the independent verifier without importing Flask, the
database layer or the app (issue 7: the verifier runs on a machine with no database
configured); every other subcommand is the Flask command group in ``election.cli``.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "verify":
        from election.verifier.cli import main as verify

        sys.exit(verify(sys.argv[2:]))
    from election.cli import main as flask_group

    flask_group()
