"""Option texts shared by the command-line modules."""

DB_HELP = (
    "Store URL (SQLAlchemy), e.g. sqlite:///news.db; default: a SQLite file in the user data dir."
)
