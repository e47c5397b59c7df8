"""Form base for the workspace: inputs announce their help and errors to screen readers."""

from __future__ import annotations

from typing import Any

from django import forms


class WorkspaceForm(forms.Form):
    """Sets ``aria-describedby`` and ``aria-invalid`` so that ``includes/field.html`` is
    accessible: the help text and error list of a field are read with its input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if self.is_bound and self._errors is not None and name in self._errors:
                ids.append(f"{bound.auto_id}_errors")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe()


def german_date(**kwargs: Any) -> forms.DateField:
    """A date field that takes ``TT.MM.JJJJ`` (and ISO from the browser's date input)."""
    kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"])
    kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    return forms.DateField(**kwargs)
