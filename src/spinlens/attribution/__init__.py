"""Quote attribution ("who said what") and article-level entity canonicalisation.

Rules over the spaCy parse find attributions (content, cue, source); speakers are
resolved to entities clustered within the article. See docs/decisions.md, "Attribution".
"""
