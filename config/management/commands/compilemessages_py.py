"""Compile the translation catalogs (locale/<language>/LC_MESSAGES/django.po -> .mo) with
Babel, so running the site needs no GNU gettext. Fuzzy entries are left out, as
compilemessages does: they are makemessages' guesses, not translations."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po into .mo files with Babel."

    def handle(self, *args, **options):
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/django.po")):
                language = po_path.parent.parent.name
                with po_path.open("rb") as handle:
                    catalog = read_po(handle, locale=language)
                mo_path = po_path.with_suffix(".mo")
                partial = mo_path.with_suffix(".mo.tmp")
                with partial.open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                # Replaced in one step: a server reading the catalog never sees half a file.
                partial.replace(mo_path)
                if options["verbosity"] > 1:
                    self.stdout.write(f"Compiled {mo_path}")
