"""Stand-in for the Netra backend application code (the container runs /app/bin/netra-service)."""
