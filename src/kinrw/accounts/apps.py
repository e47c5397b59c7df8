from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kinrw.accounts"
    label = "accounts"
    verbose_name = "Konten"
