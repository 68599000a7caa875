from django.urls import path  # noqa: F401

app_name = "compliance"

# URL names anyone may open without logging in (the allow-list of the every-URL login test).
PUBLIC_URL_NAMES: list[str] = []

urlpatterns: list = []
