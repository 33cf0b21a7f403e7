// MathJax 3 configuration for coursebook decks, read by the deck's own MathJax when it starts.
// Math is written by pymdownx.arithmatex (generic mode), as mkdocs-material documents it: only
// elements with the "arithmatex" class are typeset, so dollar signs in code stay text. Each
// formula keeps its own glyphs (fontCache "local"): the speaker view receives the notes' HTML
// without the deck's glyph cache.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
    // As the site's (docs/assets/javascripts/mathjax-config.js): screen readers read each
    // formula from its hidden MathML copy, whatever a presenter's saved menu settings say.
    enableAssistiveMml: true,
    menuOptions: { settings: { assistiveMml: true } },
  },
  svg: {
    fontCache: "local",
  },
};
