"""Stand-in migration 0003_messages."""
