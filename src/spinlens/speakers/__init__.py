"""Speakers and entities across the corpus: names merged across articles (an alias
table built as articles are saved) and what the workspace shows of each."""
