"""coursebook: course objects (reading list, criteria, schedule) from lecture front matter."""
