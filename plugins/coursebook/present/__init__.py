"""The presentation stage: what is made from the built pages for the lecture hall and print,
the reveal.js decks, the PDF handouts and the headless browser that prints them."""
