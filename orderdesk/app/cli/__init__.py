"""The `orderdesk` command line."""
