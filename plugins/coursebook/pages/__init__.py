"""The pages stage: coursebook's generated pages and lecture blocks rendered from Jinja
templates, the navigation, and the snapshot that keeps them between builds; it imports the
course and notebook stages, never the presentation stage above it."""
