"""Static files storage for production and `make run`."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, whose URLs carry the content hash even with
    DEBUG on. Django's manifest storage hands out the plain name under DEBUG, which would
    give pages rendered under DEBUG (a development server on collected files, the /status
    copy `make run`'s demo loader writes) names without the year-long browser caching."""

    def url(self, name, force=False):
        return super().url(name, force=True)
