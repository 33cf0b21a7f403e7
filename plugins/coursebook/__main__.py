"""Command line: `python -m coursebook check` validates every lecture without a full build.

Same messages as the build; exit status 1 when there is any problem (for pull-request CI and
pre-commit), 2 when the command itself is used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import build_course, is_lecture_page
from .reference import front_matter_reference
from .settings import read_settings


def lecture_pages(docs_dir: Path, pattern: str, shown_root: Path) -> list[tuple[str, str, str]]:
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        src_uri = path.relative_to(docs_dir).as_posix()
        if is_lecture_page(src_uri, pattern):
            shown = path.relative_to(shown_root).as_posix()
            pages.append((shown, src_uri, path.read_text(encoding="utf-8-sig")))
    return pages


def check(config_file: Path) -> int:
    settings = read_settings(config_file)
    bib_name = settings.references or "references.bib"
    bib_path = settings.root / bib_name
    if settings.references and not bib_path.exists():
        print(f"{config_file}: plugins.coursebook.references: no file {bib_path}", file=sys.stderr)
        return 1
    existing = {
        p.relative_to(settings.docs_dir).as_posix()
        for p in settings.docs_dir.rglob("*")
        if p.is_file()
    }
    course = build_course(
        lecture_pages(settings.docs_dir, settings.lectures, settings.root),
        bib_text=bib_path.read_text(encoding="utf-8") if bib_path.exists() else None,
        bib_file=bib_name,
        existing_uris=existing,
    )
    for problem in course.problems:
        print(problem, file=sys.stderr)
    lectures = len(course.lectures)
    if course.problems:
        print(f"{len(course.problems)} problem(s); {lectures} lecture(s) valid", file=sys.stderr)
        return 1
    print(f"ok: {lectures} lecture(s), {len(course.readings.entries)} reading(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursebook", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate lecture front matter")
    check_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    commands.add_parser("schema-docs", help="print the front matter reference (Markdown)")
    args = parser.parse_args(argv)
    if args.command == "check":
        if not args.config_file.exists():
            parser.error(f"no config file {args.config_file}")
        return check(args.config_file)
    sys.stdout.write(front_matter_reference())
    return 0


if __name__ == "__main__":
    sys.exit(main())
