"""The site's accessibility statement (`accessibility.md`): what the audit checks, the date
and result of the last audit (from the record `python -m coursebook audit` writes beside
mkdocs.yml, never invented), and where to report a barrier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment

from ..audit.axe import STANDARD, WCAG_TAGS, axe_version
from ..audit.report import RECORD_FILE, AuditRecord, read_record
from ..audit.run import SCHEMES, WIDTHS

STATEMENT_PAGE = "accessibility.md"


@dataclass(frozen=True)
class Contact:
    text: str  # as shown
    href: str | None  # a link, when the contact is a web address or an email address


def contact_of(configured: str | None, repo_url: str | None) -> Contact | None:
    """The configured contact (a web address, an email address, or text such as an office),
    else the issues of `repo_url`. Only http(s) and mailto links are made: anything else is
    shown as text."""
    if configured:
        value = configured.strip()
        scheme = urlsplit(value).scheme.lower()
        if scheme in ("http", "https"):
            return Contact(value, value)
        if scheme == "mailto":
            return Contact(value[len("mailto:") :], value)
        if "@" in value and " " not in value and "/" not in value and ":" not in value:
            return Contact(value, f"mailto:{value}")
        return Contact(value, None)
    if repo_url and urlsplit(repo_url).scheme in ("http", "https"):
        issues = repo_url.rstrip("/") + "/issues"
        return Contact(issues, issues)
    return None


def statement_page(
    env: Environment, repo_root: Path, contact: Contact | None, site_name: str
) -> str:
    """The statement's Markdown, with the record beside mkdocs.yml (RecordError when it
    cannot be read)."""
    return render_statement(env, read_record(repo_root / RECORD_FILE), contact, site_name)


def render_statement(
    env: Environment, record: AuditRecord | None, contact: Contact | None, site_name: str
) -> str:
    return env.get_template("accessibility.md").render(
        record=record,
        contact=contact,
        site_name=site_name,
        standard=STANDARD,
        tags=WCAG_TAGS,
        axe_version=record.axe_core if record else axe_version(),
        widths=record.widths if record else tuple(WIDTHS),
        schemes=record.schemes if record else SCHEMES,
        record_file=RECORD_FILE,
    )
