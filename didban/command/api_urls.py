"""This app's endpoints under /api/v1/ (included by didban/api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
