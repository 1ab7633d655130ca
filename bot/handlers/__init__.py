"""Command handlers, one module per job."""
