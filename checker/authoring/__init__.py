"""Tools for the legal adviser who writes rules: schema, lint, explain, skeletons, catalogue."""
