class WorkspaceError(Exception):
    """Bad input for the workspace; the message is German and says what to do.

    ``field`` names the input the message is about (a model field name), so that
    forms and the API can show it beside that field; None: about the whole entry.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
