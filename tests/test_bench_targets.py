"""The benchmarks' target table (benchmarks/targets.py): each limit is made from the run's own
baseline, and met or missed is computed from it."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from targets import SAME, ahead, at_most, format_targets, markdown_targets


@pytest.mark.parametrize(
    ("measured", "baseline", "factor", "met"),
    [(1.09, 1.0, 1.10, True), (1.11, 1.0, 1.10, False), (2.3, 2.0, 1.15, True)],
)
def test_a_ratio_target_is_held_to_its_baseline(measured, baseline, factor, met):
    target = at_most("warm", measured, SAME, baseline, factor)
    assert target.limit == pytest.approx(factor * baseline)
    assert target.met is met
    assert target.name == f"warm ≤ {factor:.2f}× same-content floor"


def test_ahead_of_a_peer_means_by_more_than_five_percent():
    assert ahead("warm", 0.94, "jupyter-book", 1.0).met
    assert not ahead("warm", 0.96, "jupyter-book", 1.0).met


def test_the_tables_show_figure_baseline_limit_and_verdict():
    targets = [
        at_most("warm", 1.2, SAME, 1.0, 1.10),
        at_most("peak memory", 60, SAME, 50, 1.3, unit="MiB"),
    ]
    warm, memory = (" ".join(line.split()) for line in format_targets(targets).splitlines()[2:])
    assert warm == (
        "warm ≤ 1.10× same-content floor 1.20 s 1.00 s same-content floor 1.10 s MISSED"
    )
    assert memory.endswith("60 MiB 50 MiB same-content floor 65 MiB met")
    rows = markdown_targets(targets).splitlines()[2:]
    assert rows[0] == (
        "| warm ≤ 1.10× same-content floor | 1.20 s | 1.00 s (same-content floor) | 1.10 s "
        "| **missed** |"
    )
    assert rows[1].endswith("| 65 MiB | met |")
