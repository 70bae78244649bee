"""Stand-in for the Netra shared library (logging, config loading) copied into the backend image."""

VERSION = "0.0.0-standin"
