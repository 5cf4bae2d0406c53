"""The live suite's patterns and topics, generated the same way every run.

Patterns: every shape of up to four segments over a literal, `*` and `#`
(at most two `#`), each with `>` appended too, in two literal spellings;
plus patterns with `$`-first, non-ASCII, glob-metacharacter, `+` and `/`
literals, and single segments. Topics: every topic of up to five segments over
`a`, `b`, `c`, plus seeded random topics mixing in the special literals.
"""

from __future__ import annotations

import itertools
import random
from typing import List

PLAIN = ["a", "b", "c"]
SPECIAL = ["$sys", "é", "日本", "x?y", "[z]", "a\\b", "p+q", "s/t", "]"]

EXTRA_PATTERNS = [
    "$sys.#", "$sys.*", "$sys.>", "*.$sys", "#.$sys", "é", "é.#", "#.é", "日本.*", "*.日本.#",
    "x?y.#", "#.x?y", "[z].*", "*.[z]", "a\\b", "a\\b.#", "p+q.#", "#.p+q", "s/t", "s/t.#",
    "]", "].*", "#", ">", "*", "a", "b.c", "*.*.*.*.*", "#.a.#.b.>", "a.#.b.#",
]


def patterns() -> List[str]:
    found: List[str] = []
    for length in range(1, 5):
        for shape in itertools.product(["L", "*", "#"], repeat=length):
            if shape.count("#") > 2:
                continue
            for tail in ("", ">"):
                for spelling in range(2):
                    segments = [
                        PLAIN[(index + spelling * (1 + index)) % len(PLAIN)] if token == "L" else token
                        for index, token in enumerate(shape)
                    ]
                    if tail:
                        segments.append(">")
                    found.append(".".join(segments))
    found.extend(EXTRA_PATTERNS)
    return list(dict.fromkeys(found))


def topics() -> List[str]:
    found: List[str] = []
    for length in range(1, 6):
        found.extend(".".join(t) for t in itertools.product(PLAIN, repeat=length))
    rng = random.Random(15)
    while len(found) < 1200:
        length = rng.randint(1, 6)
        segments = [rng.choice(SPECIAL) if rng.random() < 0.25 else rng.choice(PLAIN) for _ in range(length)]
        found.append(".".join(segments))
        found = list(dict.fromkeys(found))
    return found
