"""Terminal colours (ANSI SGR codes, as in IPython tracebacks) as HTML spans, the way Jupyter
and nbconvert show them; every other escape sequence is dropped, as they drop it: CSI with any
parameters (`ESC[?25l`, pip's cursor hiding, has a private `?`), OSC (`ESC]8;;url BEL`,
window titles and hyperlinks: the linked text stays), and two-character escapes."""

from __future__ import annotations

import html
import re

# nbconvert and JupyterLab match CSI as `ESC[ (.*?) [@-~]`; this is ECMA-48's exact form
# (parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte), so text after
# a malformed sequence is not swallowed. OSC ends with BEL or ST (ESC \\).
ESCAPE = re.compile(
    r"\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[@-Z\\^_`a-z{|}~=>78]"
)
_SGR_PARAMS = re.compile(r"^[0-9;]*$")
COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


def _classes(codes: list[int], state: dict[str, str | bool]) -> None:
    """Apply one SGR sequence's codes to `state` (fg, bg, bold)."""
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            state.clear()
        elif code == 1:
            state["bold"] = True
        elif code == 22:
            state.pop("bold", None)
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
            # 256-colour and true-colour forms are shown in the default colour.
            if index + 1 < len(codes) and codes[index + 1] == 5:
                index += 2
            elif index + 1 < len(codes) and codes[index + 1] == 2:
                index += 4
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
