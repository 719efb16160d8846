"""kickoff-tui: a terminal workspace for the 90 days after a kickoff."""

__version__ = "0.1.0"
