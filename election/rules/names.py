"""Vietnamese A-B-C order for names on lists and ballots (R-LIST-10).

Names are sorted by given name (tên), then family name (họ), then middle name (tên đệm);
the profile holds that order (``lists.name_order``). Within one part the Vietnamese
alphabet decides first, ignoring tones: a < ă < â < b < c < d < đ < e < ê < ... < o < ô < ơ
< ... < u < ư < ... (the letters f, j, w, z of foreign names sit in their Latin places).
Only when the letters agree do the tones decide, in dictionary order: none, huyền (à),
hỏi (ả), ngã (ã), sắc (á), nặng (ạ). Case is ignored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["PersonName", "name_key", "part_key"]

_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
#: Rank 0 is kept for the space between words, so "Thị" sorts before "Thị Minh".
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
#: Marks that make a different letter (ă, â, ê, ô, ơ, ư); they take part in the first pass.
_QUALITY_MARKS = {"\u0306", "\u0302", "\u031b"}
#: Tone marks in dictionary order; they only break ties after the letters.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def part_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The collation key of one name part: letter ranks, then tone ranks (R-LIST-10)."""
    letters: list[int] = []
    tones: list[int] = []
    decomposed = unicodedata.normalize("NFD", " ".join(text.split()).lower())
    i = 0
    while i < len(decomposed):
        base = decomposed[i]
        i += 1
        quality = ""
        tone = 0
        # Combining marks follow their letter in canonical order, which may put the tone
        # before the vowel-quality mark (ậ is a + dot below + circumflex); collect them all.
        while i < len(decomposed) and unicodedata.combining(decomposed[i]):
            mark = decomposed[i]
            if mark in _QUALITY_MARKS:
                quality += mark
            else:
                tone = _TONE_RANK.get(mark, 6)
            i += 1
        if base == " ":
            letters.append(0)
        else:
            letter = unicodedata.normalize("NFC", base + quality)
            # Characters outside the alphabet sort after it, by code point, so the order is
            # still total and reproducible.
            letters.append(_LETTER_RANK.get(letter, 1000 + ord(letter[0])))
        tones.append(tone)
    return tuple(letters), tuple(tones)


@dataclass(frozen=True)
class PersonName:
    """A Vietnamese name in its three parts: họ (family), tên đệm (middle), tên (given)."""

    family: str
    middle: str
    given: str

    def __post_init__(self) -> None:
        if not self.family.strip() or not self.given.strip():
            raise ValueError("a name needs at least a family name and a given name")

    @classmethod
    def parse(cls, full_name: str) -> PersonName:
        """Split "Nguyễn Thị Minh Khai" into họ "Nguyễn", tên đệm "Thị Minh", tên "Khai".

        The first word is the family name and the last the given name; everything between
        is the middle name. Callers that know the parts better should build the name
        directly.
        """
        words = full_name.split()
        if len(words) < 2:
            raise ValueError(f"cannot tell the family name from the given name in {full_name!r}")
        return cls(words[0], " ".join(words[1:-1]), words[-1])

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part)


def name_key(
    name: PersonName, order: tuple[str, str, str] = ("given", "family", "middle")
) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """The sort key of a name: its parts' keys in ``order`` (R-LIST-10)."""
    return tuple(part_key(getattr(name, part)) for part in order)
