"""Stand-in migration 0004_audit_log."""
