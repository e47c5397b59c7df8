"""``makemessages`` that also finds ``_g(...)``: the project's alias for ``gettext`` in
modules that use ``_`` for ``gettext_lazy`` (ADR 0007)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_g"]
