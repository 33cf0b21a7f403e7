"""Command line for course staff (run from the folder with mkdocs.yml):

  python -m coursebook check                 validate every lecture, as the build does
  python -m coursebook new lecture "Title"   create a lecture page (and --notebook)
  python -m coursebook check-outputs FILES   refuse outputs in notebooks executed at build
  python -m coursebook handouts              print lecture PDFs of the built site
  python -m coursebook browser               find, else install, Chromium for tests/handouts
  python -m coursebook execute [--shard K/N] run this machine's notebooks into the cache
  python -m coursebook merge-cache DIR...    join caches filled by other machines
  python -m coursebook schema-docs           print the front matter reference
  python -m coursebook schema-docs --term    print the term's field reference
  python -m coursebook audit                 axe-core over every page and slide of the site

Exit status 1 when there is a problem (for pull-request CI and pre-commit), 2 when the command
itself is used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .course.bibtex import read_bibliography
from .course.lectures import declares_lecture
from .course.model import build_course, is_lecture_page
from .course.reference import front_matter_reference
from .course.release_dates import TimezoneMissing, require_timezone
from .notebooks.notebook import read_notebook
from .notebooks.runner import RunOptions, execute_mode, notebook_settings, should_execute
from .present.browser import BrowserUnavailable
from .scaffold import ScaffoldError, held_by_drafts, new_lecture
from .settings import Settings, page_url, read_settings


def lecture_pages(
    settings: Settings, *, drafts: bool = False, only: set[str] | None = None
) -> list[tuple[str, str, str]]:
    """The lecture pages as a build finds them (plugin.py `on_files`): published, in the nav,
    under the glob, and saying in their front matter that they are lectures. With `drafts`,
    also those a build leaves out (`new lecture` must not reuse their numbers). `only`: the
    source URIs a build published (pages/published.py), instead of deriving them here."""
    from pathspec.gitignore import GitIgnoreSpec

    from .pages.navigation import pages_in_nav

    unpublished = GitIgnoreSpec.from_lines(
        [".*", "/templates/", *([] if drafts else settings.unpublished)]
    )
    docs_dir = settings.docs_dir
    published = [
        path.relative_to(docs_dir).as_posix()
        for path in sorted(docs_dir.rglob("*.md"))
        if not unpublished.match_file(path.relative_to(docs_dir).as_posix())
    ]
    if only is not None:
        published = [src_uri for src_uri in published if src_uri in only]
    in_nav = None if drafts or only is not None else pages_in_nav(settings.nav, published)
    pages = []
    for src_uri in published:
        if not is_lecture_page(src_uri, settings.lectures):
            continue
        if in_nav is not None and src_uri not in in_nav:
            continue
        path = docs_dir / src_uri
        text = path.read_text(encoding="utf-8-sig")
        if declares_lecture(text):  # notes and schedules beside the lectures are not
            pages.append((path.relative_to(settings.root).as_posix(), src_uri, text))
    return pages


class MissingReferences(Exception):
    """mkdocs.yml names a references file that is not there."""


def read_course(config_file: Path, *, drafts: bool = False, only: set[str] | None = None):
    """Settings and the validated course, read from the files on disk (`drafts`, `only`: see
    `lecture_pages`)."""
    settings = read_settings(config_file)
    bib_name = settings.references or "references.bib"
    bib_path = settings.root / bib_name
    if settings.references and not bib_path.exists():
        raise MissingReferences(f"{config_file}: plugins.coursebook.references: no file {bib_path}")
    existing = {
        p.relative_to(settings.docs_dir).as_posix()
        for p in settings.docs_dir.rglob("*")
        if p.is_file()
    }
    course = build_course(
        lecture_pages(settings, drafts=drafts, only=only),
        bibliography=read_bibliography(
            bib_path.read_bytes(),
            bib_name,
            settings.root / settings.cache_dir / "references",
            lambda message: print(message, file=sys.stderr),
        )
        if bib_path.exists()
        else None,
        bib_file=bib_name,
        existing_uris=existing,
        term=term_source(settings),
    )
    return settings, course


def term_source(settings: Settings):
    """The term file and the assignment and milestone pages, as a build reads them."""
    from .course.frontmatter import FRONT_MATTER
    from .course.term import TermSource, declares_term_page

    path = settings.root / settings.term
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    pages = []
    for page in sorted(settings.docs_dir.rglob("*.md")):
        found = FRONT_MATTER.match(page.read_text(encoding="utf-8-sig"))
        if found and declares_term_page(found.group(0)):
            uri = page.relative_to(settings.docs_dir).as_posix()
            pages.append((page.relative_to(settings.root).as_posix(), uri, found.group(0)))
    return TermSource(settings.term, text, pages, settings.timezone)


def announcement_problems(settings: Settings) -> list[str]:
    """The blog's posts read as the build reads them (issue 25): one it cannot date stops it."""
    from .course.announcements import read_announcement

    folder = settings.docs_dir / settings.posts_dir if settings.posts_dir else None
    problems = []
    for path in sorted(folder.rglob("*.md")) if folder and folder.is_dir() else []:
        src_uri = path.relative_to(settings.docs_dir).as_posix()
        shown = path.relative_to(settings.root).as_posix()
        text = path.read_text(encoding="utf-8-sig")
        problems += read_announcement(text, src_uri, shown, settings.timezone)[1]
    return [str(problem) for problem in problems]


def check(config_file: Path) -> int:
    settings, course = read_course(config_file)
    problems = [str(problem) for problem in course.problems]
    dated = next((f"{x.file}: solutions" for x in course.lectures if x.meta.solutions), None)
    try:
        # A dated course must name its time zone (issue 20): the build stops without one.
        require_timezone(settings.timezone, dated)
    except TimezoneMissing as error:
        problems.append(str(error))
    problems += announcement_problems(settings)
    for problem in problems:
        print(problem, file=sys.stderr)
    for note in course.notes:
        print(f"note: {note}", file=sys.stderr)
    lectures = len(course.lectures)
    if problems:
        print(f"{len(problems)} problem(s); {lectures} lecture(s) valid", file=sys.stderr)
        return 1
    print(f"ok: {lectures} lecture(s), {len(course.readings.entries)} reading(s)")
    return 0


def new_lecture_command(config_file: Path, args: argparse.Namespace) -> int:
    # Numbered after the published lectures (issue 22: not after the drafts), passing over a
    # number a draft or an unlisted lecture holds: it would clash the day that one is published.
    settings, course = read_course(config_file, drafts=True)
    published = {src_uri for _, src_uri, _ in lecture_pages(settings)}
    try:
        made = new_lecture(
            settings.docs_dir,
            settings.lectures,
            course.lectures,
            title=args.title,
            number=args.number,
            date=args.date,
            notebook=args.notebook,
            published=published,
        )
    except ScaffoldError as error:
        print(f"cannot create the lecture: {error}", file=sys.stderr)
        return 1
    for path in (made.lecture, made.notebook):
        if path is not None:
            print(f"created {path.relative_to(settings.root)}")
    if args.number is None:
        shown = [lec for lec in course.lectures if lec.src_uri in published]
        passed = held_by_drafts(made.number, shown, course.lectures)
        if passed:
            print(
                f"numbered {made.number}: "
                + ", ".join(f"{lec.meta.lecture} is {lec.file}" for lec in passed)
                + " (not published yet); --number N to choose another"
            )
    print("next: fill in topics and papers, then run `python -m coursebook check`")
    if made.notebook is not None and not settings.timezone:
        # The lecture has a `solutions` date now: the build needs the course's time zone.
        print(
            "also: set the course's time zone for its solutions' release day: "
            "`timezone: America/New_York` (yours) under `- coursebook:` in mkdocs.yml"
        )
    return 0


def check_outputs(config_file: Path, notebooks: list[Path]) -> int:
    """Notebooks executed at build time must be committed without outputs: stored outputs
    would be replaced anyway, bloat the diff, and can leak data. Render-only ones keep theirs."""
    settings = read_settings(config_file)
    options = RunOptions(
        execute=execute_mode(settings.execute, f"{config_file}: notebooks.execute"),
        render_only=settings.render_only,
    )
    problems = 0
    for path in notebooks:
        try:
            uri = path.resolve().relative_to(settings.docs_dir.resolve()).as_posix()
        except ValueError:
            continue  # not a site notebook
        nb = read_notebook(path)
        if not should_execute(uri, notebook_settings(nb, uri), options, nb):
            continue
        for number, cell in enumerate(nb["cells"], start=1):
            if cell.get("outputs"):
                print(
                    f"{path}: cell {number} has outputs, but this notebook is executed when "
                    "the site is built: clear its outputs before committing (Jupyter: Edit → "
                    "Clear Outputs of All Cells), or mark it render-only",
                    file=sys.stderr,
                )
                problems += 1
                break
    return 1 if problems else 0


def handouts_command(config_file: Path, args: argparse.Namespace) -> int:
    from .guard.build import check_printed, load_record
    from .guard.scan import describe
    from .pages.generated import handout_name, slides_pdf_name
    from .pages.published import published_lectures
    from .present.browser import require_playwright
    from .present.handouts import Handout, HandoutError, SlideDeck, make_handouts
    from .present.slides import deck_url

    try:
        require_playwright()  # before any work: a plugin-only install has no Playwright
    except BrowserUnavailable as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    settings = read_settings(config_file)
    site = args.site or settings.site_dir
    # Leak guard (guard/): the PDFs are checked against what the site's build withheld, so
    # that build must have left its record (first, rather than after minutes of printing).
    cache = settings.root / settings.cache_dir
    withheld = load_record(site, cache)
    published = published_lectures(cache, site)
    if withheld is None or published is None:
        what = "withheld, to check the PDFs against" if withheld is None else "published"
        print(
            f"handouts: no record of what the build of {site} {what}: build the site first "
            "(mkdocs build, with coursebook enabled)",
            file=sys.stderr,
        )
        return 1
    # A lecture renamed or removed since that build: printing the others would give a
    # course.pdf short of a lecture the site still shows, and say nothing.
    gone = sorted(uri for uri in published if not (settings.docs_dir / uri).is_file())
    if gone:
        print(
            f"handouts: {site} is older than {settings.docs_dir.name}/: its build published "
            + ", ".join(gone)
            + ", no longer there: build the site again",
            file=sys.stderr,
        )
        return 1
    # The lectures that build published, no others: drafts, excluded pages and lectures left
    # out of the course's nav are neither printed nor counted.
    settings, course = read_course(config_file, only=published)
    if course.problems:
        for problem in course.problems:
            print(problem, file=sys.stderr)
        return 1
    handouts = [
        Handout(
            f"{lecture.label} · {lecture.meta.title}",
            page_url(lecture.src_uri, settings.use_directory_urls),
            handout_name(lecture),
        )
        for lecture in course.lectures
    ]
    decks = []
    if settings.slides and not args.no_slides:
        decks = [
            SlideDeck(
                f"{lecture.label} · {lecture.meta.title}",
                lecture.file,
                deck_url(page_url(lecture.src_uri, settings.use_directory_urls)),
                slides_pdf_name(lecture),
            )
            for lecture in course.lectures
        ]
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        print(f"warning: {message}", file=sys.stderr)

    try:
        timings = make_handouts(
            site,
            handouts,
            decks=decks,
            notes=args.notes,
            paper=args.paper,
            warn=warn,
            title=f"{settings.site_name} · Handouts" if settings.site_name else "Handouts",
            page_timeout=args.page_timeout,
            extra_javascript=settings.extra_javascript,
            extra_css=settings.extra_css,
        )
    except (HandoutError, BrowserUnavailable) as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    leaks = check_printed(site, sorted((site / "handouts").glob("*.pdf")), withheld, cache)
    if leaks:
        print(describe(leaks, site), file=sys.stderr)
        return 1
    for kind, name in ((Handout, "handout"), (SlideDeck, "slides PDF")):
        seconds = [s for item, s in timings if isinstance(item, kind)]
        if seconds:
            mean = sum(seconds) / len(seconds)
            print(f"{len(seconds)} {name}(s), {mean:.1f} s per lecture on average")
    if warnings:
        print(f"{len(warnings)} slide(s) overflow their frame (see the warnings above)")
    return 0


BASELINE_HELP = "accessibility-baseline.json beside mkdocs.yml, when there is one"


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2027-01-20, got {text!r}"
        ) from error


def page_timeout_argument(text: str) -> float:
    from .present.handouts import page_timeout_problem

    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds like 60, got {text!r}") from None
    problem = page_timeout_problem(seconds)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return seconds


def shard_argument(text: str):
    from .notebooks.sharding import Shard, ShardError

    try:
        return Shard.parse(text)
    except ShardError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def default_cache_dir(config_file: Path) -> Path:
    from .notebooks.cache import notebook_cache_folder

    settings = read_settings(config_file)
    return notebook_cache_folder(settings.root, settings.notebook_cache_dir, os.environ)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursebook",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate lecture front matter")
    new = commands.add_parser("new", help="create course content")
    new.add_argument("kind", choices=["lecture"])
    new.add_argument("title")
    new.add_argument("--number", type=int, help="lecture number (default: the next one)")
    new.add_argument("--date", type=date_argument, help="YYYY-MM-DD (default: a week later)")
    new.add_argument("--notebook", action="store_true", help="also create a starter notebook")
    outputs = commands.add_parser("check-outputs", help="refuse outputs in executed notebooks")
    outputs.add_argument("notebooks", nargs="*", type=Path)
    handouts = commands.add_parser("handouts", help="print lecture PDFs into site/handouts/")
    handouts.add_argument("--paper", choices=["a4", "letter"], default="a4")
    handouts.add_argument("--site", type=Path, help="built site folder (default: site_dir)")
    handouts.add_argument(
        "--notes", action="store_true", help="slides PDFs with the speaker notes under each slide"
    )
    handouts.add_argument("--no-slides", action="store_true", help="no slides PDFs")
    handouts.add_argument(
        "--page-timeout",
        type=page_timeout_argument,
        default=60.0,
        metavar="SECONDS",
        help="time limit of one page or deck (default: 60)",
    )
    schema_docs = commands.add_parser("schema-docs", help="print the front matter reference")
    schema_docs.add_argument("--term", action="store_true", help="the term's fields instead")
    commands.add_parser("browser", help="find, else install, Chromium for tests and handouts")
    execute = commands.add_parser("execute", help="run notebooks into the execution cache only")
    execute.add_argument("--shard", type=shard_argument, help="K/N: this machine's share")
    execute.add_argument("--runner", help="only notebooks with metadata.coursebook.runner LABEL")
    execute.add_argument("--cache-dir", type=Path, help="cache folder (default: the configured)")
    merge = commands.add_parser("merge-cache", help="copy cache folders into the site's cache")
    merge.add_argument("sources", nargs="+", type=Path)
    merge.add_argument("--into", type=Path, help="cache folder (default: the configured one)")
    checked = commands.add_parser("audit", help="accessibility audit of the built site (axe-core)")
    checked.add_argument("--site", type=Path, help="built site folder (default: site_dir)")
    checked.add_argument("--baseline", type=Path, help=f"default: {BASELINE_HELP}")
    checked.add_argument("--report", type=Path, help="report folder (default: .cache/…/audit)")
    checked.add_argument("--update-baseline", action="store_true", help="rewrite the baseline")
    args = parser.parse_args(argv)
    if args.command == "schema-docs":
        if args.term:
            from .course.reference import term_reference

            sys.stdout.write(term_reference())
            return 0
        sys.stdout.write(front_matter_reference())
        return 0
    if args.command == "browser":
        from .present.browser_setup import main as provide_browser

        return provide_browser()
    if not args.config_file.exists():
        parser.error(f"no config file {args.config_file} (run from the folder with mkdocs.yml)")
    try:
        if args.command == "check":
            return check(args.config_file)
        if args.command == "new":
            return new_lecture_command(args.config_file, args)
        if args.command == "handouts":
            return handouts_command(args.config_file, args)
        if args.command == "audit":
            from .audit_command import audit

            return audit(
                args.config_file,
                site=args.site,
                baseline=args.baseline,
                report=args.report,
                update_baseline=args.update_baseline,
            )
        if args.command == "execute":
            from .execute_command import execute

            return execute(
                args.config_file, shard=args.shard, runner=args.runner, cache_dir=args.cache_dir
            )
        if args.command == "merge-cache":
            from .execute_command import merge

            into = args.into or default_cache_dir(args.config_file)
            return merge(args.config_file, args.sources, into)
        return check_outputs(args.config_file, args.notebooks)
    except MissingReferences as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Ctrl-C: the running kernels were stopped (notebooks/runner.py); no traceback.
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
