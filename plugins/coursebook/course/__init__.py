"""The course stage: lecture front matter read, validated and made into the course (lectures,
readings, criteria, schedule) and its exports; plain Python that imports nothing from MkDocs
and nothing from the other stages."""
