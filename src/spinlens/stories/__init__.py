"""Stories: articles about the same event across outlets and days (docs/stories.md)."""
