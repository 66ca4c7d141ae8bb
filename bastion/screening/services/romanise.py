"""Pinyin for names in bulk (the import): the registry's `name_romanised`, made fast."""

import re
from collections.abc import Callable

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from pypinyin.pinyin_dict import pinyin_dict

from bastion.people.services import name_romanised

_HAN_NAME = re.compile(r"^([\u4e00-\u9fff]+)([A-Za-z0-9]*)$")


def _in_phrases(han: str) -> bool:
    """Whether any run of two or more of the characters is a word of pypinyin's phrase
    dictionary (the only case where a character's reading depends on its neighbours)."""
    size = len(han)
    return any(han[i:j] in PHRASES_DICT for i in range(size - 1) for j in range(i + 2, size + 1))


def romaniser() -> Callable[[str], tuple[str, str]]:
    """`name_romanised`, fast. pypinyin reads a run of characters as the words of its phrase
    dictionary it can cut out of it, and every other character by its first reading. So a
    name none of whose runs is such a word (and none of whose characters is one alone) is
    spelt character by character, each character looked up once per import: exactly what
    `lazy_pinyin` would give. Any other name goes through `name_romanised`."""
    chars: dict[str, str | None] = {}
    names: dict[str, tuple[str, str]] = {}

    def syllable(char: str) -> str | None:
        if char not in chars:
            known = ord(char) in pinyin_dict and char not in PHRASES_DICT
            chars[char] = lazy_pinyin(char)[0] if known else None
        return chars[char]

    def romanise(name: str) -> tuple[str, str]:
        found = names.get(name)
        if found is not None:
            return found
        match = _HAN_NAME.match(name)
        spelt = [syllable(c) for c in match.group(1)] if match else [None]
        if match and all(spelt) and not _in_phrases(match.group(1)):
            syllables = [s.lower() for s in spelt if s and s.isalnum()]
            if match.group(2):
                syllables.append(match.group(2).lower())
            found = "".join(syllables)[:160], "".join(s[0] for s in syllables)[:40]
        else:
            found = name_romanised(name)
        names[name] = found
        return found

    return romanise
