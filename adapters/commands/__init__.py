"""`boundary-bot` sub-commands, one module per group (db, content, reviews, teams, practice)."""
