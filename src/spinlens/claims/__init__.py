"""Claims worth checking: check-worthy sentences, ranked, attributed, with their quantities."""
