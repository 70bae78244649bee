"""Stand-in migration 0002_threads."""
