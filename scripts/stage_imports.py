"""Check that coursebook's stages import only the stages below them, and that no modules
import each other (a circle, which can only be within a stage); print each, exit 1 if any.

    python scripts/stage_imports.py

Every import counts: at module level, inside functions, under `if TYPE_CHECKING:`. The stages,
lowest first (see README, "Layout"): atomic_write.py, audit/, course/, guard/, notebooks/, pages/,
present/, then the top level (the plugin and the command line). Modules of one stage may import each
other; `coursebook.<stage>` itself holds no code.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "coursebook"
# Lowest first; a module belongs to the first stage whose name prefixes its own.
STAGES = [
    (
        "base",
        (
            "coursebook.atomic_write",
            "coursebook.build_context",
            "coursebook.cache_files",
            "coursebook.errors",
        ),
    ),
    # The accessibility audit: handed a browser by the command line, read back by the
    # statement page (pages/).
    ("audit", ("coursebook.audit",)),
    ("course", ("coursebook.course",)),
    # The leak guard imports only course/; the notebook and page stages tell it what their
    # stripping changed, so it sits below them.
    ("guard", ("coursebook.guard",)),
    ("notebooks", ("coursebook.notebooks",)),
    ("pages", ("coursebook.pages",)),
    ("present", ("coursebook.present",)),
    ("top", ("coursebook",)),
]
FRAMEWORKS = ("mkdocs", "pydantic")  # which stages import these is printed too


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise ValueError(f"{module}: in no stage")


def imports_of(path: Path, modules: set[str]) -> list[tuple[int, str]]:
    """(line, imported coursebook module or framework) for every import in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # `from . import slides` imports the module coursebook.slides
                submodule = f"{target}.{alias.name}"
                found.append((node.lineno, submodule if submodule in modules else target))
    return list(dict.fromkeys(found))  # one line per module, however many names it imports


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or not (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def main() -> int:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in files}
    wrong = []
    uses: dict[str, set[str]] = {stage: set() for stage, _ in STAGES}
    checked = 0
    edges: dict[str, set[str]] = {}
    for path in files:
        source = module_name(path)
        source_stage = stage_of(source)
        for line, target in imports_of(path, modules):
            top = target.split(".")[0]
            if top in FRAMEWORKS:
                uses[STAGES[source_stage][0]].add(top)
            if top != "coursebook" or target == source:
                continue
            checked += 1
            edges.setdefault(source, set()).add(target)
            target_stage = stage_of(target)
            if target_stage > source_stage:
                wrong.append(f"up:       {source} (line {line}) imports {target}")
            elif target_stage < source_stage:
                uses[STAGES[source_stage][0]].add(STAGES[target_stage][0])
    for stage, _ in STAGES:
        print(f"{stage:10} imports {', '.join(sorted(uses[stage])) or 'nothing'}")
    for problem in wrong:
        print(problem)
    # Imports only go down between stages, so a circle is within one stage. It fails too,
    # even through imports made inside functions or under TYPE_CHECKING: two modules that
    # need each other are one job split in two, or a third module waiting to be written.
    circles = cycles(edges)
    for group in circles:
        print(f"circle:   {' <-> '.join(group)}")
    print(
        f"{checked} imports between coursebook modules in {len(files)} files: "
        + (f"{len(wrong)} go up" if wrong else "none goes up")
        + (f", {len(circles)} circle(s)" if circles else ", no circle")
    )
    return 1 if wrong or circles else 0


if __name__ == "__main__":
    sys.exit(main())
