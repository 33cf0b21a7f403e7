"""The accessibility audit: axe-core over every page and slide of a built site (run.py), its
findings grouped by rule and cause (findings.py), a course's baseline (baseline.py) and the
reports (report.py). Imports only the base stage: the command line hands it a browser."""
