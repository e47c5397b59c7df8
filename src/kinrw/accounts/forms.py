from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort ist falsch. Bitte prüfen Sie beides; "
            "Groß- und Kleinschreibung zählt beim Passwort."
        ),
        "inactive": _("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an Ihre KI-Leitung."),
        "no_land_access": _(
            "Dieses Konto hat keinen Zugang zur Landesebene. "
            "Bitte wenden Sie sich an den Plattformbetrieb."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        on_land_host = self.request is not None and getattr(self.request, "tenant", None) is None
        if on_land_host and not hasattr(user, "land_access"):
            raise ValidationError(self.error_messages["no_land_access"], code="no_land_access")


class SetPasswordForm(auth_forms.SetPasswordForm):
    new_password1 = forms.CharField(
        label=_("Neues Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 12 Zeichen, nicht nur Ziffern, nicht zu einfach."),
    )
    new_password2 = forms.CharField(
        label=_("Neues Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
