"""Every URL of Didban refuses an anonymous visitor (login redirect, or 401/403 for the API),
except an explicit allow-list: login, logout, language, health, the API schema, and the public
pages the portal and compliance apps list in `PUBLIC_URL_NAMES` (the whole `portal`
namespace is public). No URL answers a 500.
"""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# The foundation's own public names.
FOUNDATION_PUBLIC = {
    "login",
    "logout",  # POST only; logging out an anonymous visitor is harmless
    "set_language",  # the language cookie before login
    "healthz",
    "api-schema",  # the OpenAPI description (no data); the docs page needs a login
    "admin:login",
    "admin:logout",
    # The field app's PWA files: browsers fetch a manifest without cookies. (Until the field
    # app lists them in its own PUBLIC_URL_NAMES.)
    "field:app_manifest",
    "field:app_sw",
}
PUBLIC_NAMESPACES = {"portal"}

SAMPLES = {
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
}
REGEX_CANDIDATES = ["1", "x", "auth", "accounts", "core", "places", "api", "x/y"]


def public_url_names() -> set[str]:
    """The foundation's names plus every app's `urls.PUBLIC_URL_NAMES` (portal, compliance…)."""
    names = set(FOUNDATION_PUBLIC)
    for config in apps.get_app_configs():
        if not config.name.startswith("didban."):
            continue
        try:
            module = import_module(f"{config.name}.urls")
        except ModuleNotFoundError:
            continue
        namespace = getattr(module, "app_name", "")
        for name in getattr(module, "PUBLIC_URL_NAMES", []):
            names.add(f"{namespace}:{name}" if namespace and ":" not in name else name)
    return names


def _fill_route(route: str) -> str:
    def converter(match: re.Match) -> str:
        kind = match.group(1) or "str"
        return SAMPLES.get(kind, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", converter, route)


def _group_end(text: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced regex {text!r}")


def _fill_regex(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$").removesuffix("\\Z")
    out = []
    i = 0
    while i < len(text):
        if text.startswith("(?P<", i):
            end = _group_end(text, i)
            body = text[text.index(">", i) + 1 : end]
            value = next((c for c in REGEX_CANDIDATES if re.fullmatch(body, c)), None)
            if value is None:
                raise ValueError(f"no sample fits {body!r} in {regex!r}")
            out.append(value)
            i = end + 1
        elif text[i] == "\\":
            out.append(text[i + 1])
            i += 2
        elif text[i] in "?*+":
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _piece(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern._route))
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern._regex)
    raise TypeError(type(pattern))


def walk(resolvers=None, prefix="/", namespace=""):
    """(url, full name, namespace) for every pattern of the tree."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, prefix + _piece(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield prefix + _piece(entry.pattern), full, namespace


ALL = sorted(set(walk()))


def test_the_walk_found_the_foundation_urls():
    names = {name for _url, name, _ns in ALL}
    assert {"home", "healthz", "login", "core:audit_list", "accounts:user_edit",
            "places:place_pick", "api:me", "api:organization_detail", "admin:index"} <= names  # fmt: skip
    assert len(ALL) > 40


def _is_public(name: str, namespace: str) -> bool:
    top = namespace.split(":")[0] if namespace else ""
    return name in public_url_names() or top in PUBLIC_NAMESPACES


def _refused(url: str, namespace: str, response) -> bool:
    # The API, and machine endpoints such as event streams, refuse without a redirect.
    if response.status_code in (401, 403):
        return True
    if response.status_code != 302:
        return False
    location = response["Location"]
    if namespace.startswith("admin"):
        return location.startswith("/django-admin/login/?next=")
    return location.startswith("/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name", "namespace"), ALL, ids=[u for u, _n, _s in ALL])
def test_anonymous_request(client, world, url, name, namespace):
    responses = {"GET": client.get(url), "POST": client.post(url, {"x": "1"})}
    for method, response in responses.items():
        assert response.status_code < 500, f"{method} {url} gave {response.status_code}"
    if _is_public(name, namespace):
        return
    for method, response in responses.items():
        # A view that does not accept the method says so without revealing anything.
        if response.status_code == 405:
            continue
        assert _refused(url, namespace, response), (
            f"{method} {url} ({name}) answered {response.status_code} "
            f"{response.get('Location', '')} to an anonymous visitor"
        )
    assert any(r.status_code != 405 for r in responses.values()), f"{url} accepts no method"


def test_the_sample_fillers():
    assert _fill_route("org/<int:org_id>/edit/") == "org/1/edit/"
    assert _fill_route("<slug:code>/<str:news>/") == "x/x/"
    assert _fill_regex(r"^(?P<app_label>auth|accounts)/$") == "auth/"
    assert _fill_regex(r"^media/(?P<path>.*)$") == "media/1"
