"""The REST API of the KI workspace under /api/v1/ on KI hosts (docs/api.md)."""
