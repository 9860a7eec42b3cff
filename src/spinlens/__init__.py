"""spinlens: read news articles like a disinformation researcher, with evidence."""

__version__ = "0.1.0"
