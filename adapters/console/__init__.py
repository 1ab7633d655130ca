"""The terminal adapter: a REPL and one-shot answers, rendered as plain text."""
