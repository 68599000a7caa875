"""Logins and logouts go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from didban.accounts.actions import do_record_login, do_record_logout
from didban.accounts.queries import acting_membership


@receiver(user_logged_in, dispatch_uid="didban_audit_login")
def audit_login(sender, request, user, **kwargs):
    membership = acting_membership(user, None)
    do_record_login(user=user, org=membership.org if membership else None)


@receiver(user_logged_out, dispatch_uid="didban_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        do_record_logout(user=user, org=getattr(request, "org", None))
