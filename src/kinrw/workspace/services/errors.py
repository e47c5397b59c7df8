class WorkspaceError(Exception):
    """Bad input for the workspace; the message is German and says what to do."""
