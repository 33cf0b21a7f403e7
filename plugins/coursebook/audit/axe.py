"""The vendored axe-core (assets/vendor/axe-core/, shipped in the wheel so the audit runs
offline in a plugin-only install) and the rules the audit asks it for."""

from __future__ import annotations

import functools
import re
from pathlib import Path

AXE_FOLDER = Path(__file__).resolve().parent.parent / "assets" / "vendor" / "axe-core"
# WCAG 2.0 and 2.1, levels A and AA: what the ADA Title II rule and most universities require.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
STANDARD = "WCAG 2.1 AA"


@functools.cache
def axe_source() -> str:
    return (AXE_FOLDER / "axe.min.js").read_text(encoding="utf-8")


def axe_version() -> str:
    """The vendored version, from VERSION (`axe-core@4.14.1 (npm registry: ...)`)."""
    text = (AXE_FOLDER / "VERSION").read_text(encoding="utf-8")
    found = re.search(r"axe-core@(\S+)", text)
    return found[1] if found else text.strip()


# One axe run, reduced to what the findings need (the full result is megabytes on a long page).
# Its scope: the document, or one slide of a deck (its number in Reveal.getSlides()). Each
# element of a deck names the slide it is on (reveal.js's indices), or none (its controls).
RUN_AXE = """async ([scope, tags]) => {
  const context = scope === 'document' ? document : Reveal.getSlides()[scope];
  const results = await axe.run(context, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
    elementRef: true,
  });
  const slideOf = element => {
    const slide = window.Reveal && element && element.closest
      ? element.closest('.reveal .slides section') : null;
    if (!slide) return null;
    const at = Reveal.getIndices(slide);
    return [at.h, at.v || 0];
  };
  return results.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => {
      const check = [...n.any, ...n.all, ...n.none].find(c => c.data && c.data.fgColor);
      return {
        html: n.html,
        target: n.target.map(t => Array.isArray(t) ? t.join(' ') : t).join(' '),
        colours: check ? [check.data.fgColor, check.data.bgColor, check.data.contrastRatio]
                       : null,
        slide: slideOf(n.element),
      };
    }),
  }));
}"""
