"""Database backends of the request benchmark: each a production backend plus a counter."""
