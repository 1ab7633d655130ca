"""Storage: sqlmodel tables, repositories (the only place SQL lives) and Alembic migrations."""
