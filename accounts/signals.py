"""What accounts tells the apps it must not know (CONVENTIONS rule 14).

accounts imports no other app, yet a member's data export holds their posts, votes and
moderation records, and deleting an account must anonymise or erase their posts. The
forum and moderation apps connect receivers to these signals in their ``ready()``."""

from django.dispatch import Signal

# Sent by the export builder with ``user``; each receiver returns a dict of
# {file name in the ZIP: str, bytes, or an iterable of str chunks (streamed, for files
# that grow with the member's history)}. Names must not collide between receivers.
data_export_collect = Signal()

# Sent once an export is ready, with ``user``, ``export`` and ``url`` (the absolute,
# signed download link), inside the transaction that marks it ready: in-app notices.
data_export_ready = Signal()

# Sent while an account deletion completes, inside its transaction and before the
# personal fields are emptied, with ``user`` and ``erase_posts`` (the member asked for
# their posts to be erased and the site allows it).
account_erasing = Signal()
