"""The faces of the library: the command line (and later the HTTP API and the dashboard)."""
