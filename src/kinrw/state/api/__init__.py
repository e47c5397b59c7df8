"""The State API on the Land host (``/api/v1/state/``): protected figures, read only."""
