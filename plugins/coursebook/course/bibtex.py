"""Read a course's `references.bib` as it is, and write BibTeX back; knows nothing of courses.

Reading keeps what BibTeX itself would see: keys and entry types as written, `@string` macros,
`#` concatenation and the month macros expanded, each field's LaTeX left as written (so it can
be written back unchanged) and the line of each entry, for messages. LaTeX is decoded into
text only for what a page shows (`decode_latex`, `parse_names`), and only when asked: a
bibliography of thousands of entries is parsed once, cached by its bytes, and only its cited
entries are ever decoded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .problems import Problem

# Bump when the cached form of a parsed file changes.
CACHE_FORMAT = 1
MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
# Math that Google Scholar writes for a brace in its source ("$\{$USENIX$\}$"): case
# protection, not mathematics.
BRACE_MATH = frozenset({"", r"\{", r"\}"})
# Inline math as pymdownx.arithmatex (generic) writes it, which MathJax then typesets.
MATH = re.compile(r"\\\((.*?)\\\)", re.S)
SPACES = re.compile(r"[ \t\r\n\f\v]+")
# Text with none of these is shown as written, without asking pylatexenc.
LATEX = re.compile(r"[\\{}$~]|--|``|''")
STRING_BLOCK = re.compile(r"\s*@string\s*[{(]", re.I)
# pylatexenc reads nested groups recursively: 5,000 nested braces exhausted Python's stack.
# Real entries nest a handful deep.
MAX_BRACE_DEPTH = 100


@dataclass(frozen=True)
class BibEntry:
    """One entry as the file gives it: fields in order, lowercase names, LaTeX values."""

    key: str
    kind: str  # entry type, lowercase: article, book, inproceedings, ...
    line: int  # 1-based line of the `@type{key,` in the file
    fields: dict[str, str]


@dataclass
class Bibliography:
    file: str
    entries: dict[str, BibEntry]
    # Parse failures: always reported, since an entry may have been lost.
    problems: list[Problem]
    # Keys that occur more than once: the lines of the copies after the first (which is used).
    duplicates: dict[str, list[int]]


# --- reading -------------------------------------------------------------------------------


def _interpret(raw: str, strings: dict[str, str]) -> str:
    """A raw BibTeX value (`{..}`, `".."`, a number, a macro, joined by `#`) as its text."""
    parts: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        char = raw[i]
        if char.isspace() or char == "#":
            i += 1
        elif char in '{"':
            depth, j = 0, i + 1
            closing = "}" if char == "{" else '"'
            while j < n and not (raw[j] == closing and depth == 0):
                if raw[j] == "{":
                    depth += 1
                elif raw[j] == "}":
                    depth -= 1
                j += 1
            parts.append(raw[i + 1 : j])
            i = j + 1
        else:
            j = i
            while j < n and not raw[j].isspace() and raw[j] != "#":
                j += 1
            word = raw[i:j]
            parts.append(strings.get(word.lower(), MONTHS.get(word.lower(), word)))
            i = j
    return "".join(parts)


def parse_bibliography(text: str, file: str) -> Bibliography:
    """Every entry of a .bib file, keyed as written; unparseable blocks become problems."""
    import logging

    import bibtexparser
    from bibtexparser import model

    # bibtexparser logs each failed block itself; they are reported below, once, with the file.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings: dict[str, str] = {}
    entries: dict[str, BibEntry] = {}
    problems: list[Problem] = []
    duplicates: dict[str, list[int]] = {}
    for block in library.blocks:
        line = block.start_line + 1
        if isinstance(block, model.String):
            strings[block.key.lower()] = _interpret(block.value, strings)
        elif isinstance(block, model.Entry):
            fields = {f.key.lower(): _interpret(f.value, strings) for f in block.fields}
            entries[block.key] = BibEntry(block.key, block.entry_type.lower(), line, fields)
        elif isinstance(block, model.DuplicateBlockKeyBlock) and STRING_BLOCK.match(block.raw):
            # BibTeX lets a later @string redefine a macro; bibtexparser keeps only the first.
            for string in bibtexparser.parse_string(block.raw, parse_stack=[]).strings:
                strings[string.key.lower()] = _interpret(string.value, strings)
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            duplicates.setdefault(block.key, []).append(line)
        elif isinstance(block, model.ParsingFailedBlock):
            error = block.error
            reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
            problems.append(Problem(file, f"line {line}", f"cannot parse BibTeX: {reason.strip()}"))
    return Bibliography(file, entries, problems, duplicates)


def _decode_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older hand-kept files are often Latin-1; every byte is a character there.
        return data.decode("latin-1")


_memory: dict[str, Bibliography] = {}


def read_bibliography(
    data: bytes,
    file: str,
    cache_dir: Path | None = None,
    warn: Callable[[str], None] | None = None,
) -> Bibliography:
    """`parse_bibliography` of these bytes, done once: kept in memory (a `mkdocs serve`
    rebuild) and, with `cache_dir`, on disk (the next build) under the hash of the bytes.
    A damaged file in the cache is parsed again, and `warn` told in one line."""
    version = metadata.version("bibtexparser")
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{version}\0{file}\0".encode() + data).hexdigest()
    if digest in _memory:
        return _memory[digest]
    path = cache_dir / f"{digest}.json" if cache_dir else None
    bibliography = _load_cached(path, file, warn) if path else None
    if bibliography is None:
        bibliography = parse_bibliography(_decode_bytes(data), file)
        if path:
            _store_cached(path, bibliography)
    _memory.clear()  # one file per site: keep only the current one
    _memory[digest] = bibliography
    return bibliography


def _load_cached(path: Path, file: str, warn: Callable[[str], None] | None) -> Bibliography | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        reason = str(error)
    else:
        try:
            return _bibliography_from_cache(data, file)
        except (KeyError, TypeError, ValueError) as error:
            reason = f"{type(error).__name__}: {error}"
    if warn:
        warn(f"{path}: damaged cache of {file}, parsed again ({reason})")
    return None


def _bibliography_from_cache(data, file: str) -> Bibliography:
    """The Bibliography `_store_cached` wrote; KeyError, TypeError or ValueError for any
    other shape."""
    entries = {}
    for key, kind, line, fields in data["entries"]:
        if not (isinstance(key, str) and isinstance(kind, str) and isinstance(line, int)):
            raise TypeError(f"entry {key!r}: expected a key, a type and a line")
        values = dict(fields)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
            raise TypeError(f"entry {key!r}: expected fields of text")
        entries[key] = BibEntry(key, kind, line, values)
    problems = [Problem(file, str(where), str(message)) for where, message in data["problems"]]
    duplicates = data["duplicates"]
    if not isinstance(duplicates, dict) or not all(
        isinstance(lines, list) for lines in duplicates.values()
    ):
        raise TypeError("duplicates: expected key: list of lines")
    return Bibliography(file, entries, problems, duplicates)


def _store_cached(path: Path, bibliography: Bibliography) -> None:
    data = {
        "entries": [
            [e.key, e.kind, e.line, list(e.fields.items())] for e in bibliography.entries.values()
        ],
        "problems": [[p.field, p.message] for p in bibliography.problems],
        "duplicates": bibliography.duplicates,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("*.json"):
        old.unlink(missing_ok=True)  # an older version of the file: never read again
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False)
    os.replace(temporary, path)


# --- LaTeX to text -------------------------------------------------------------------------


@functools.cache
def _latex_decoder():
    """pylatexenc's converter, taught the macros bibliographies use and made to keep math as
    `\\(...\\)` for MathJax."""
    from pylatexenc import latex2text, latexwalker, macrospec

    walker_context = latexwalker.get_default_latex_context_db()
    walker_context.add_context_category(
        "coursebook",
        prepend=True,
        macros=[macrospec.MacroSpec("href", "{{"), macrospec.MacroSpec("url", "{")],
    )
    text_context = latex2text.get_default_latex_context_db()
    text_context.add_context_category(
        "coursebook",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("url", "%(1)s"),
            latex2text.MacroTextSpec("href", "%(2)s"),
            latex2text.MacroTextSpec("mbox", discard=False),
            latex2text.MacroTextSpec("hbox", discard=False),
            latex2text.MacroTextSpec("TeX", "TeX"),
            latex2text.MacroTextSpec("LaTeX", "LaTeX"),
            latex2text.MacroTextSpec("BibTeX", "BibTeX"),
        ],
    )

    class BibliographyText(latex2text.LatexNodes2Text):
        def math_node_to_text(self, node):
            inner = "".join(n.latex_verbatim() for n in node.nodelist or []).strip()
            return "" if inner in BRACE_MATH else f"\\({inner}\\)"

    converter = BibliographyText(latex_context=text_context, math_mode="verbatim")
    return converter, walker_context


def decode_latex(value: str) -> str:
    """A field's LaTeX as the text a reader sees: accents and `\\&`, `~`, `--` become
    characters, case-protecting braces go, and math stays math, written `\\(...\\)`."""
    if not LATEX.search(value):
        return SPACES.sub(" ", value).strip()
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    if brace_depth(value) > MAX_BRACE_DEPTH:  # from_bib reports it; never a RecursionError
        return SPACES.sub(" ", _without_markup(value)).strip()
    converter, context = _latex_decoder()
    # A bare % is a percent sign to BibTeX (and in a URL); to LaTeX it would start a comment.
    # A bare & is an ampersand to a reader ("C. {R}einwald & {C}ie"); to LaTeX it separates
    # table columns, and pylatexenc dropped it.
    value = re.sub(r"(?<!\\)([%&])", r"\\\1", value)
    try:
        nodes = LatexWalker(value, latex_context=context, tolerant_parsing=True).get_latex_nodes()
        text = converter.nodelist_to_text(nodes[0])
    except (LatexWalkerError, IndexError):
        # Malformed beyond pylatexenc's tolerance: drop the markup rather than show it.
        text = _without_markup(value)
    return SPACES.sub(" ", text).strip()


def _without_markup(value: str) -> str:
    return re.sub(r"\\[A-Za-z]+\*?|[{}\\]", "", value)


def brace_depth(value: str) -> int:
    """How deep `{...}` groups nest in `value`."""
    depth = deepest = 0
    for char in value:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth = max(depth - 1, 0)
    return deepest


def plain_text(text: str) -> str:
    """Decoded text without its math delimiters, for comparing and sorting."""
    return MATH.sub(r"\1", text)


# --- names ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """One person (or organisation) in BibTeX's four parts, each as text."""

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""

    @property
    def display(self) -> str:
        """As a reader expects it: "Martín Abadi", "Ludwig van Beethoven", "OpenAI"."""
        return " ".join(part for part in (self.first, self.von, self.last, self.jr) if part)


def _split_names(value: str) -> list[str]:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    return split_multiple_persons_names(value)


def _name_from_latex(value: str, decode) -> Name:
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    parts = parse_single_name_into_parts(value, strict=False)
    return Name(
        *(decode(" ".join(words)) for words in (parts.first, parts.von, parts.last, parts.jr))
    )


def parse_names(value: str) -> tuple[tuple[Name, ...], bool]:
    """A BibTeX `author`/`editor` field as names, and whether it ends with `and others`."""
    raw = _split_names(value)
    more = bool(raw) and raw[-1].strip() == "others"
    if more:
        raw = raw[:-1]
    return tuple(_name_from_latex(name, decode_latex) for name in raw), more


def parse_plain_name(text: str) -> Name:
    """A name as an author writes it in front matter, in Unicode: "Chiyuan Zhang", or in
    BibTeX's "Le Cun, Yann" form."""
    words = text.split()
    if "," in text or "{" in text or any(w[:1].islower() for w in words):
        return _name_from_latex(text, decode_latex)
    # No comma, brace or lowercase particle: BibTeX's "First Last" rule comes down to this.
    return Name(first=" ".join(words[:-1]), last=words[-1] if words else "")


# --- writing -------------------------------------------------------------------------------


def encode_latex(text: str) -> str:
    """Unicode text as LaTeX for a .bib field (from front matter, where no LaTeX is written).
    Each special character in its own braces, `{\\"o}`, as BibTeX wants it in names."""
    from pylatexenc.latexencode import unicode_to_latex

    return unicode_to_latex(
        text,
        non_ascii_only=False,
        unknown_char_warning=False,
        replacement_latex_protection="braces-all",
    )


def name_to_bibtex(name: Name) -> str:
    """A front-matter name in BibTeX's "von Last, Jr, First" form, which reads back into the
    same parts."""
    last = encode_latex(name.last)
    if " " in name.last:  # "{Google Brain Team}", "{Brinch Hansen}, Per": one last name
        last = "{" + last + "}"
    parts = [" ".join(p for p in (encode_latex(name.von), last) if p)]
    parts += [encode_latex(p) for p in (name.jr, name.first) if p]
    return ", ".join(parts)


def write_bibtex(entries: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    """`(type, key, [(field, LaTeX value)])` as BibTeX text, values in braces as given."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for kind, key, fields in entries:
        library.add(Entry(kind, key, [Field(name, value) for name, value in fields]))
    return bibtexparser.write_string(library)
