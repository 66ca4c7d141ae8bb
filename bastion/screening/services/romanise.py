"""Pinyin for names in bulk (the import): the registry's `name_romanised`, made fast."""

import re
from collections.abc import Callable

from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from bastion.people.services import name_romanised

_HAN_NAME = re.compile(r"^([\u4e00-\u9fff]+)([A-Za-z0-9]*)$")


def romaniser() -> Callable[[str], tuple[str, str]]:
    """`name_romanised`, fast: a name of characters that each have one reading is spelt
    character by character (each character looked up once per import), which is exactly what
    pypinyin's phrase matching would give; any other name goes through `name_romanised`."""
    chars: dict[str, str | None] = {}
    names: dict[str, tuple[str, str]] = {}

    def syllable(char: str) -> str | None:
        if char not in chars:
            readings = pinyin_dict.get(ord(char), "")
            chars[char] = lazy_pinyin(char)[0] if readings and "," not in readings else None
        return chars[char]

    def romanise(name: str) -> tuple[str, str]:
        found = names.get(name)
        if found is not None:
            return found
        match = _HAN_NAME.match(name)
        spelt = [syllable(c) for c in match.group(1)] if match else [None]
        if match and all(spelt):
            syllables = [s.lower() for s in spelt if s and s.isalnum()]
            if match.group(2):
                syllables.append(match.group(2).lower())
            found = "".join(syllables)[:160], "".join(s[0] for s in syllables)[:40]
        else:
            found = name_romanised(name)
        names[name] = found
        return found

    return romanise
