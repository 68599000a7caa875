#!/usr/bin/env bash
# Extract and compile one app's translations: scripts/messages.sh <app>  (needs GNU gettext).
# Persian (fa) translations are filled in by hand in didban/<app>/locale/fa/LC_MESSAGES/django.po;
# English msgids are the source, so the en catalogue stays empty.
set -euo pipefail
app="${1:?usage: scripts/messages.sh <app>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/didban/$app"
mkdir -p locale
DJANGO_SETTINGS_MODULE=didban.settings "$root/.venv/bin/django-admin" makemessages -l fa --no-obsolete --no-location \
  --ignore 'static/vendor/*' --ignore 'tests/*'
for po in locale/*/LC_MESSAGES/django.po; do
  msgfmt --check-format -o "${po%.po}.mo" "$po"
done
empty=$(msgattrib --untranslated locale/fa/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
echo "$app: $empty untranslated entries (the header counts as one)"
