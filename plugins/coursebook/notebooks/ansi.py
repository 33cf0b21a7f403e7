"""Terminal colours (ANSI SGR codes, as in IPython tracebacks) as HTML spans, the way Jupyter
and nbconvert show them; every other escape sequence is dropped, as they drop it: CSI with any
parameters (`ESC[?25l`, pip's cursor hiding, has a private `?`), OSC (`ESC]8;;url BEL`,
window titles and hyperlinks: the linked text stays), and two-character escapes."""

from __future__ import annotations

import html
import re

# nbconvert and JupyterLab match CSI as `ESC[ (.*?) [@-~]`; this is ECMA-48's exact form
# (parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte), so text after
# a malformed sequence is not swallowed. OSC ends with BEL or ST (ESC \\), or, cut off, at the
# end of its line, so the lines after it stay.
ESCAPE = re.compile(
    r"\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[@-Z\\^_`a-z{|}~=>78]"
)
_SGR_PARAMS = re.compile(r"^[0-9;]*$")
COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
# xterm's 16 colours, to place a 256-colour or true-colour code on the nearest of them: the
# page shows the 16 in the theme's readable palette (both schemes), not the terminal's RGB.
_XTERM_16 = (
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
)  # fmt: skip
_CUBE = (0, 95, 135, 175, 215, 255)


def _named(index: int) -> str:
    """One of the 16 colours by its number: `red`, or `red-intense` for 8-15."""
    return COLOURS[index] if index < 8 else f"{COLOURS[index - 8]}-intense"


def _nearest(rgb: tuple[int, int, int]) -> str:
    distances = [sum((a - b) ** 2 for a, b in zip(rgb, c, strict=True)) for c in _XTERM_16]
    return _named(distances.index(min(distances)))


def _extended(codes: list[int], index: int) -> tuple[str | None, int]:
    """The colour of a `38;5;n` / `38;2;r;g;b` form starting at `codes[index]` (the 38 or
    48), and how many codes it took."""
    kind = codes[index + 1] if index + 1 < len(codes) else None
    if kind == 5 and index + 2 < len(codes):
        n = codes[index + 2]
        if n < 16:
            return _named(n), 3
        if n < 232:
            n -= 16
            return _nearest((_CUBE[n // 36], _CUBE[n // 6 % 6], _CUBE[n % 6])), 3
        if n < 256:
            return _nearest((8 + 10 * (n - 232),) * 3), 3
        return None, 3
    if kind == 2 and index + 4 < len(codes):
        red, green, blue = (min(c, 255) for c in codes[index + 2 : index + 5])
        return _nearest((red, green, blue)), 5
    return None, 2 if kind in (2, 5) else 1


def _classes(codes: list[int], state: dict[str, str | bool]) -> None:
    """Apply one SGR sequence's codes to `state` (fg, bg, bold, underline)."""
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            state.clear()
        elif code == 1:
            state["bold"] = True
        elif code == 22:
            state.pop("bold", None)
        elif code == 4:
            state["underline"] = True
        elif code == 24:
            state.pop("underline", None)
        elif 30 <= code <= 37:
            state["fg"] = COLOURS[code - 30]
        elif 90 <= code <= 97:
            state["fg"] = f"{COLOURS[code - 90]}-intense"
        elif 40 <= code <= 47:
            state["bg"] = COLOURS[code - 40]
        elif 100 <= code <= 107:
            state["bg"] = f"{COLOURS[code - 100]}-intense"
        elif code == 39:
            state.pop("fg", None)
        elif code == 49:
            state.pop("bg", None)
        elif code in (38, 48):
            # 256-colour and true-colour forms (pip's progress bar): the nearest of the 16.
            colour, taken = _extended(codes, index)
            if colour is not None:
                state["fg" if code == 38 else "bg"] = colour
            index += taken - 1
        index += 1


def ansi_to_html(text: str) -> str:
    """`text` HTML-escaped, with coloured runs in `<span class="ansi-…">`."""
    if "\x1b" not in text:
        return html.escape(text)
    parts: list[str] = []
    state: dict[str, str | bool] = {}
    position = 0

    def emit(chunk: str) -> None:
        if not chunk:
            return
        classes = []
        if "fg" in state:
            classes.append(f"ansi-{state['fg']}-fg")
        if "bg" in state:
            classes.append(f"ansi-{state['bg']}-bg")
        if state.get("bold"):
            classes.append("ansi-bold")
        if state.get("underline"):
            classes.append("ansi-underline")
        escaped = html.escape(chunk)
        parts.append(f'<span class="{" ".join(classes)}">{escaped}</span>' if classes else escaped)

    for match in ESCAPE.finditer(text):
        emit(text[position : match.start()])
        position = match.end()
        params = match.group("params")
        if match.group("final") == "m" and params is not None and _SGR_PARAMS.match(params):
            codes = [int(c) for c in params.split(";") if c.isdigit()] or [0]
            _classes(codes, state)
    emit(text[position:])
    return "".join(parts)
