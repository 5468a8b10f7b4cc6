from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Receivers use the models, which can be imported only once the registry is ready.
        from accounts import receivers

        user_logged_in.connect(
            receivers.cancel_deletion_on_sign_in, dispatch_uid="accounts.cancel_deletion"
        )
