"""Adapters: Slack, Teams and the console translate to and from the core; the CLI wires everything."""
