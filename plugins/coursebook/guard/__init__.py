"""The leak guard: what a build withheld, looked for in everything it published."""
