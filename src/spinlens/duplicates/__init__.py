"""Copies across outlets: near-duplicate articles and passages lifted from one into
another, found as articles are stored (docs/stories.md)."""
