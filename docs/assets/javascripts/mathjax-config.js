// MathJax 3 configuration for pymdownx.arithmatex (generic mode): only elements with the
// "arithmatex" class are typeset, so dollar signs in code or notebook output stay text.
// The site does not use instant navigation, so MathJax's own start-up typeset is the only
// one; subscribing to mkdocs-material's document$ as well would typeset every page twice.
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
    // Screen readers read each formula from a hidden MathML copy (mjx-assistive-mml), whatever
    // a reader's saved menu settings or a later MathJax's defaults say.
    enableAssistiveMml: true,
    menuOptions: {
      settings: {
        assistiveMml: true,
      },
    },
  },
  svg: {
    fontCache: "global",
  },
};
