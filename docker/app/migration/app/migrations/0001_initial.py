"""Stand-in migration 0001_initial."""
