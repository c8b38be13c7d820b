"""``dhvote verify RECORD`` (and ``python -m election.verifier RECORD``).

Prints every check V1-V11 with its status, count and time and, for each failure, where it
is (file, board position, JSON path) and what is wrong; Vietnamese by default, English with
``--lang en``; ``--json`` prints the report as JSON instead. Exit status 0 only when every
check passes, 1 otherwise, 2 for a usage error. A progress bar is drawn on stderr when it is
a terminal (``--progress`` / ``--no-progress`` force it either way).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from election.verifier.checks import verify
from election.verifier.messages import LANGS, Lang, status_text, text, title, unit_text
from election.verifier.progress import ProgressBar
from election.verifier.report import Report, Status

if TYPE_CHECKING:
    import click

__all__ = ["click_command", "format_report", "main"]

#: Failures listed per check in the text report (all are in ``--json``).
SHOWN_FAILURES = 20


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dhvote verify",
        description="Kiểm tra hồ sơ bầu cử dhvote (V1-V11). Verify a dhvote election record.",
    )
    p.add_argument("record", help="thư mục hoặc tệp .zip của hồ sơ / record folder or .zip")
    p.add_argument("--lang", choices=LANGS, default="vi", help="ngôn ngữ / language (vi)")
    p.add_argument("--json", action="store_true", help="in báo cáo dạng JSON / JSON report")
    p.add_argument(
        "--workers", type=int, default=None, help="số tiến trình / workers (default: CPUs)"
    )
    p.add_argument(
        "--executor",
        choices=("process", "thread"),
        default="process",
        help="tiến trình hay luồng / processes or threads (process)",
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None)
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    return p


def _seconds(value: float, lang: Lang) -> str:
    number = f"{value:.2f}"
    return text("seconds", lang, s=number.replace(".", ",") if lang == "vi" else number)


def format_report(report: Report, lang: Lang = "vi") -> str:
    """The human-readable report."""
    lines = [f"{text('heading', lang)}: {report.record}"]
    lines.append(text("workers", lang, n=report.workers, kind=report.executor))
    lines.append("")
    for c in report.checks:
        status = status_text(c.status.value, lang)
        lines.append(
            f"{c.check_id:<4} {status:<10} {title(c.check_id, lang)}"
            f" — {c.count} {unit_text(c.unit, lang)} — {_seconds(c.seconds, lang)}"
        )
        for f in (c.failures + c.skipped)[:SHOWN_FAILURES]:
            place = [f.file] if f.file else []
            if f.position is not None:
                place.append(f"{text('position', lang)} {f.position}")
            if f.where:
                place.append(f.where)
            lines.append(f"       • {', '.join(place)}: {f.text(lang)}")
            if f.detail:
                lines.append(f"         ({f.detail})")
        hidden = len(c.failures) + len(c.skipped) - SHOWN_FAILURES
        if hidden > 0:
            lines.append(f"       {text('more', lang, n=hidden)}")
    lines.append("")
    if report.ok:
        lines.append(text("all_passed", lang, n=len(report.checks)))
    else:
        none = text("none", lang)
        skipped = [c.check_id for c in report.checks if c.status is Status.SKIPPED]
        lines.append(
            text(
                "some_failed",
                lang,
                failed=", ".join(report.failed) or none,
                skipped=", ".join(skipped) or none,
            )
        )
    lines.append(
        f"{_seconds(report.seconds, lang)} ({text('load', lang)}: "
        f"{_seconds(report.load_seconds, lang)})"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the verifier; return the exit status (0 only when every check passes)."""
    args = _parser().parse_args(argv)
    out = stdout if stdout is not None else sys.stdout
    lang: Lang = "en" if args.lang == "en" else "vi"
    bar = ProgressBar(enabled=args.progress)
    try:
        report = verify(args.record, workers=args.workers, executor=args.executor, progress=bar)
    finally:
        bar.finish()
    if args.json:
        out.write(json.dumps(report.to_json(lang), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(format_report(report, lang) + "\n")
    return 0 if report.ok else 1


def click_command() -> click.Command:
    """``main`` as a click command named ``verify``, for ``dhvote`` (``election/cli.py``).

    click is imported only here, so the verifier itself stays free of it; every argument,
    ``--help`` included, goes to ``main``'s own parser.
    """
    import click

    @click.command(
        "verify",
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        help="Kiểm tra hồ sơ bầu cử (V1-V11). Verify an election record.",
    )
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def verify_command(args: tuple[str, ...]) -> None:
        raise SystemExit(main(list(args)))

    return verify_command
