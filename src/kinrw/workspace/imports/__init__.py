"""Import of sessions and counts from CSV and Excel files: read, match columns, check.

``read`` turns a file into rows, ``layout`` and ``columns`` find what each column
is, ``validate`` checks every row and returns a plan (rows to import, errors and
warnings per row). Writing happens only in
:mod:`kinrw.workspace.services.imports`, after the user confirmed the preview.
"""
