"""How a domain app plugs into the shell without editing core files.

An app may define, each optional:
  <app>/permissions.py  PERMISSIONS = {"thing.do": frozenset({Role.EDITOR, ...})}
  <app>/navigation.py   AREAS = [Area(url_name, label, icon, permission), ...]
  <app>/home.py         def panels(request) -> list[dict]  ({"template": ..., "context": {...}})
  <app>/demo.py         def load(*, root, orgs) -> None     (root: superuser; orgs: code → Organization)
  <app>/tasks.py        tasks; periodic ones register themselves on import
  <app>/exports.py      SOURCES = [ExportSource(...)]  (lists exported by the worker; core/exports.py)
They are found in INSTALLED_APPS order.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("didban."):
            continue
        try:
            modules.append(import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return modules
