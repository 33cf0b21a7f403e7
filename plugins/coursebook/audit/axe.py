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


# coursebook's own rules, for what the build knows and axe cannot see: a notebook figure
# nobody described has alt="" (axe reads that as decorative; notebooks/to_markdown.py marks it),
# and a player's captions or transcript are metadata (notebooks/embeds.py marks the player).
# Each rule's `help` names the fix; its violations have axe's shape, so they are grouped,
# reported and baselined as axe's are. Hidden elements count: a figure on a slide not shown.
COURSEBOOK_RULES = """context => {
  const rules = [
    {
      id: 'coursebook-figure-alt',
      selector: 'img[data-coursebook-alt="missing"]',
      impact: 'serious',
      help: 'Notebook figure without alt text (alt="" says decorative): describe it in its '
        + 'cell with `#| fig-alt: ...` (one per figure), or metadata.coursebook.alt',
      helpUrl: 'https://www.w3.org/WAI/WCAG21/Understanding/non-text-content.html',
    },
    {
      id: 'coursebook-video-captions',
      selector: '[data-cb-video]:not([data-cb-captions]):not([data-cb-transcript])',
      impact: 'serious',
      help: 'Video without captions or a transcript: give the output metadata.coursebook.video '
        + '(or the iframe data-cb-captions / data-cb-transcript) `captions: true` or a '
        + 'language if the video has captions, or `transcript:` the address of a transcript',
      helpUrl: 'https://www.w3.org/WAI/WCAG21/Understanding/captions-prerecorded.html',
    },
  ];
  const targetOf = element => {
    const path = [];
    for (let e = element; e && e.nodeType === 1 && e !== document.documentElement;
         e = e.parentElement) {
      if (e.id) { path.unshift('#' + CSS.escape(e.id)); break; }
      const same = [...e.parentElement.children].filter(c => c.tagName === e.tagName);
      const tag = e.tagName.toLowerCase();
      path.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(e) + 1})` : tag);
    }
    return [path.join(' > ')];
  };
  const root = context.querySelectorAll ? context : document;
  return rules.map(rule => ({
    id: rule.id, impact: rule.impact, help: rule.help, helpUrl: rule.helpUrl,
    nodes: [...root.querySelectorAll(rule.selector)].map(element => ({
      html: element.outerHTML.slice(0, element.outerHTML.indexOf('>') + 1),
      target: targetOf(element), any: [], all: [], none: [], element,
    })),
  })).filter(rule => rule.nodes.length);
}"""

# One axe run, reduced to what the findings need (the full result is megabytes on a long page).
# Its scope: the document, or one slide of a deck (its number in Reveal.getSlides()). Each
# element of a deck names the slide it is on (reveal.js's indices), or none (its controls).
RUN_AXE = (
    """async ([scope, tags]) => {
  const coursebookViolations = """
    + COURSEBOOK_RULES
    + """;
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
  return results.violations.concat(coursebookViolations(context)).map(v => ({
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
)
