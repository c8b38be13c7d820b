"""Translation catalogues: every entry translated, none fuzzy, placeholders kept (docs/i18n.md).

A missing or fuzzy msgstr silently shows Vietnamese on an English page, and a msgstr that
loses, adds or misspells a placeholder breaks the sentence it fills (`%(name)s` in templates
and Python code, `{name}` in the words the browser scripts read from a hidden catalogue).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from election.paths import TRANSLATIONS_DIR

CATALOGUES = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))

#: `%(name)s` (gettext with keyword arguments; any conversion) and `{name}` (messages.js).
PLACEHOLDER = re.compile(r"%\(\w+\)[a-zA-Z]|\{\w+\}")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _entries(catalog: Catalog) -> list[Message]:
    """The catalogue's messages, without the header entry (whose msgid is empty)."""
    return [m for m in catalog if m.id]


def _forms(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple of its forms (one form unless it is a plural entry)."""
    if value is None:
        return ("",)
    if isinstance(value, str):
        return (value,)
    return tuple(s or "" for s in value)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _listing(problems: list[str]) -> str:
    return "\n".join(f"  - {p}" for p in problems)


def test_there_is_a_catalogue() -> None:
    assert CATALOGUES, f"no translations/*/LC_MESSAGES/messages.po under {TRANSLATIONS_DIR}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_entry_is_translated(path: Path) -> None:
    empty = [
        repr(_forms(m.id)[0])
        for m in _entries(_read(path))
        if not all(s.strip() for s in _forms(m.string))
    ]
    assert not empty, (
        f"{len(empty)} entries of {path} have an empty msgstr (they show in Vietnamese):\n"
        + _listing(empty)
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_no_entry_is_fuzzy(path: Path) -> None:
    fuzzy = [repr(_forms(m.id)[0]) for m in _entries(_read(path)) if m.fuzzy]
    assert not fuzzy, (
        f"{len(fuzzy)} entries of {path} are marked fuzzy (not compiled, so they show in "
        "Vietnamese); check each translation and clear the flag:\n" + _listing(fuzzy)
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_placeholders_match_the_msgid(path: Path) -> None:
    problems = []
    for m in _entries(_read(path)):
        msgid = _forms(m.id)
        # Vietnamese passes the same text as singular and plural; take both forms' marks.
        wanted = set().union(*(_placeholders(form) for form in msgid))
        for index, msgstr in enumerate(_forms(m.string)):
            if not msgstr:
                continue  # reported by test_every_entry_is_translated
            found = _placeholders(msgstr)
            if found != wanted:
                form = f" (msgstr[{index}])" if isinstance(m.id, tuple) else ""
                problems.append(
                    f"{msgid[0]!r}{form}: msgid has {sorted(wanted)}, msgstr has {sorted(found)}"
                )
    assert not problems, (
        f"{len(problems)} entries of {path} change the placeholders of their msgid:\n"
        + _listing(problems)
    )
