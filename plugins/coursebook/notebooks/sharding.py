"""Split a course's notebooks between N machines (shards) of a CI matrix.

The split is a pure function of the notebook paths and their last known run times, so every
machine of the matrix computes the same one without talking to the others. Notebooks are
placed longest first, each on the shard with the least work so far (ties: the lower shard
number; equal times: path order); a notebook the cache has never timed counts as the median of
the known times (1 s when none is known).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

SHARD = re.compile(r"^(?P<index>\d+)/(?P<count>\d+)$")


class ShardError(ValueError):
    """A --shard value that is not K/N with 1 <= K <= N."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as CI matrices count
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = SHARD.match(text.strip())
        if not match:
            raise ShardError(f"--shard: expected K/N such as 2/3, got {text!r}")
        shard = cls(int(match["index"]), int(match["count"]))
        if not 1 <= shard.index <= shard.count:
            raise ShardError(f"--shard: K must be between 1 and N, got {text!r}")
        return shard


def split(seconds: dict[str, float | None], count: int) -> list[list[str]]:
    """`count` lists of notebook paths that together hold each path of `seconds` once."""
    known = [s for s in seconds.values() if s is not None]
    default = statistics.median(known) if known else 1.0
    weights = {uri: default if s is None else s for uri, s in seconds.items()}
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for uri in sorted(weights, key=lambda u: (-weights[u], u)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        shards[lightest].append(uri)
        loads[lightest] += weights[uri]
    return [sorted(shard) for shard in shards]


def share_of(shard: Shard, seconds: dict[str, float | None]) -> list[str]:
    return split(seconds, shard.count)[shard.index - 1]
