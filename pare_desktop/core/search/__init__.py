"""Search: the index (build, persist, query), facet counts and lazy result sets."""
