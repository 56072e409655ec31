"""The Convocore source: reading exports (files and, later, the HTTP API)."""
