"""The benchmarks' target tables: each target a line with coursebook's figure, the baseline it
is held to and the limit made from it, and whether it is met, computed from the run's own
figures (never written by hand)."""

from __future__ import annotations

from dataclasses import dataclass

SAME = "same-content floor"
PLAIN = "plain floor"


@dataclass(frozen=True)
class Target:
    name: str  # e.g. "warm ≤ 1.10× same-content floor"
    measured: float  # coursebook's figure
    baseline_name: str  # what it is held to: "same-content floor", "mkdocs-jupyter", …
    baseline: float
    limit: float
    unit: str = "s"

    @property
    def met(self) -> bool:
        return self.measured <= self.limit


def at_most(
    scenario: str, measured: float, baseline_name: str, baseline: float, factor: float, unit="s"
) -> Target:
    """coursebook ≤ `factor` × the baseline."""
    return Target(
        f"{scenario} ≤ {factor:.2f}× {baseline_name}",
        measured,
        baseline_name,
        baseline,
        factor * baseline,
        unit,
    )


def ahead(scenario: str, measured: float, peer: str, theirs: float) -> Target:
    """Ahead of a peer by more than the noise between runs on this machine (about 5 %):
    closer is a tie."""
    return Target(f"{scenario}: ahead of {peer} by ≥ 5 %", measured, peer, theirs, 0.95 * theirs)


def _figure(value: float, unit: str) -> str:
    return f"{value:.0f} {unit}" if unit == "MiB" else f"{value:.2f} {unit}"


def format_targets(targets: list[Target]) -> str:
    """A text table: target, coursebook, baseline (named), limit, met."""
    width = max([len(t.name) for t in targets] + [6])
    base_width = max([len(t.baseline_name) for t in targets] + [8]) + 10
    header = (
        f"{'target':<{width}}  {'coursebook':>11}  {'baseline':>{base_width}}  {'limit':>9}  met"
    )
    lines = [header, "-" * len(header)]
    for t in targets:
        baseline = f"{_figure(t.baseline, t.unit)} {t.baseline_name}"
        lines.append(
            f"{t.name:<{width}}  {_figure(t.measured, t.unit):>11}  {baseline:>{base_width}}  "
            f"{_figure(t.limit, t.unit):>9}  {'met' if t.met else 'MISSED'}"
        )
    return "\n".join(lines)


def markdown_targets(targets: list[Target]) -> str:
    lines = ["| target | coursebook | baseline | limit | met |", "|---|---|---|---|---|"]
    lines += [
        f"| {t.name} | {_figure(t.measured, t.unit)} | {_figure(t.baseline, t.unit)} "
        f"({t.baseline_name}) | {_figure(t.limit, t.unit)} | {'met' if t.met else '**missed**'} |"
        for t in targets
    ]
    return "\n".join(lines)
