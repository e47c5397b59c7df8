class WorkspaceError(Exception):
    """Bad input for the workspace; the message says what to do.

    Raisers translate it when they raise (``gettext``, German source strings): it is
    in the language of the request that caused it.

    ``field`` names the input the message is about (a model field name), so that
    forms and the API can show it beside that field; None: about the whole entry.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
