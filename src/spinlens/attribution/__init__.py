"""Quote attribution ("who said what") and article-level entity canonicalisation.

A tagger trained on PolNeAR (over the shared encoder's vectors) and rules over the
spaCy parse find attributions (content, cue, source); speakers are resolved to
entities clustered within the article. See docs/decisions.md, "Attribution".
"""
