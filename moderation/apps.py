from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        # Receivers import models, which are not ready when this module is imported.
        from moderation import receivers

        receivers.connect()
        receivers.connect_account_signals()
