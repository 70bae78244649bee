"""Stand-in for the Netra auth service application code (the container runs /app/bin/netra-service)."""
