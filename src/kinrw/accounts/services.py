"""Writes to accounts (in the schema that is active when called)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User


class AccountError(Exception):
    """Bad input for an account; the message is one line (German, or translated where
    users of the web interface see it: :func:`validate_email`)."""


def validate_email(email: str) -> str:
    try:
        django_validate_email(email)
    except ValidationError:
        raise AccountError(_g("Ungültige E-Mail-Adresse „%(email)s“.") % {"email": email}) from None
    return email.lower()


def site_url(host: str) -> str:
    scheme = "https" if settings.KINRW_HTTPS else "http"
    port = f":{settings.KINRW_URL_PORT}" if settings.KINRW_URL_PORT else ""
    return f"{scheme}://{host}{port}"


def set_password_link(*, user: User, host: str) -> str:
    """A one-time link: the token dies when the password is set or after the timeout."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse(
        "accounts:set_password",
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,  # same /konto/ paths on every host
        kwargs={"uidb64": uid, "token": token},
    )
    return site_url(host) + path


def admin_create(*, email: str, host: str, full_name: str = "") -> str:
    """Create (or re-invite) an administrator in the current schema; return the link."""
    email = validate_email(email)
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, full_name=full_name, is_superuser=True)
        elif not user.has_usable_password():
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        else:
            raise AccountError(f"Das Konto {email} gibt es schon; es hat bereits ein Passwort.")
    return set_password_link(user=user, host=host)


def first_admin_create(*, tenant: object, email: str, full_name: str = "") -> str:
    """A KI administrator with the role KI-Leitung, in the KI schema that is active."""
    from kinrw.tenancy.onboarding import primary_domain
    from kinrw.workspace.models import Role
    from kinrw.workspace.services import membership_set

    host = primary_domain(tenant) or ""  # type: ignore[arg-type]
    with transaction.atomic():
        link = admin_create(email=email, host=host, full_name=full_name)
        membership_set(actor=None, user=User.objects.get(email=email.lower()), role=Role.LEITUNG)
    return link


def login_lockout_reset(*, email: str) -> int:
    """Lift the login lockout of ``email`` in the current schema (from every address).

    Deletes its failed-attempt rows of django-axes (ADR 0013); returns how many.
    """
    from axes.models import AccessAttempt

    _, per_model = AccessAttempt.objects.filter(username=email.strip().lower()).delete()
    return per_model.get(AccessAttempt._meta.label, 0)
