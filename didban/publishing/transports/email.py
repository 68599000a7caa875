"""Email lists (news agencies' desks, the press) over SMTP, with the item's files attached.

A failure to connect or log in means nothing was sent (temporary); a refused address or a
5xx reply to the message is permanent; a dropped connection or timeout after the message
was handed over is an unknown outcome. Email cannot be edited or unsent.
"""

from __future__ import annotations

import contextlib
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from didban.publishing.transports.base import Permanent, Sent, Temporary, Transport, Unknown
from didban.publishing.transports.telegram import read_media

# Attachments above this total go as links only (the website page has every file).
MAX_ATTACHMENTS_BYTES = 15 * 1024 * 1024


def recipients(target: str) -> list[str]:
    return [part.strip() for part in target.replace(";", ",").split(",") if part.strip()]


class EmailTransport(Transport):
    def connection(self):
        config = self.channel.config or {}
        secret = self.channel.secret() if self.channel.has_secret else None
        return get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host=config.get("smtp_host") or settings.EMAIL_HOST,
            port=int(config.get("smtp_port") or settings.EMAIL_PORT),
            username=config.get("smtp_user") or settings.EMAIL_HOST_USER,
            password=secret if secret is not None else settings.EMAIL_HOST_PASSWORD,
            use_tls=bool(config.get("smtp_tls", settings.EMAIL_USE_TLS)),
            timeout=self.timeout,
            fail_silently=False,
        )

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        to = recipients(self.channel.target)
        if not to:
            raise Permanent(_("The channel has no email addresses."))
        message_id = make_msgid(idstring=f"delivery{delivery_id}", domain="didban")
        message = EmailMessage(
            subject=step.payload.get("subject", ""),
            body=step.text,
            from_email=(self.channel.config or {}).get("from_email") or settings.DEFAULT_FROM_EMAIL,
            to=to,
            headers={"Message-ID": message_id},
        )
        total = 0
        for media in step.media:
            name, content, content_type = read_media(media)
            total += len(content)
            if total > MAX_ATTACHMENTS_BYTES:
                break
            message.attach(name, content, content_type)
        connection = self.connection()
        try:
            connection.open()
        except smtplib.SMTPAuthenticationError as exc:
            raise Permanent(_("The mail server refused the login: %(e)s") % {"e": exc}) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise Temporary(_("Could not reach the mail server: %(e)s") % {"e": exc}) from exc
        try:
            connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            raise Permanent(
                _("The mail server refused the addresses: %(a)s") % {"a": ", ".join(exc.recipients)}
            ) from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise Temporary(_("The mail server said: %(e)s") % {"e": exc.smtp_error}) from exc
            raise Permanent(_("The mail server said: %(e)s") % {"e": exc.smtp_error}) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise Unknown(
                _("The mail server stopped answering while the message was sent (%(e)s).")
                % {"e": exc.__class__.__name__}
            ) from exc
        finally:
            # Closing a broken connection may fail again.
            with contextlib.suppress(Exception):
                connection.close()
        return Sent([message_id])
