"""Email over SMTP (the standard library's smtplib, run in a worker thread).

Settings (`PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_*`): host, port, security ("none",
"starttls" or "tls"), username/password (login only when a username is set),
from_address, verify_certificate, ca_file. Each attempt opens its own connection, with
the notifier's timeout on every socket operation.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from proctor.server.services.alerting.delivery.base import (
    DEFAULT_SUBJECT,
    Delivery,
    DeliveryConfig,
    Outcome,
)

NOT_CONFIGURED = (
    "SMTP is not configured: set PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_HOST (and _PORT, "
    "_SECURITY, _USERNAME, _PASSWORD as your mail server needs)"
)


def build_message(delivery: Delivery, from_address: str) -> EmailMessage:
    message = EmailMessage()
    subject = delivery.text("subject", DEFAULT_SUBJECT)
    message["Subject"] = " ".join(subject.split())[:300]
    message["From"] = from_address
    message["To"] = ", ".join(delivery.action["to"])
    message["Message-ID"] = make_msgid(domain="proctor")
    message["X-Proctor-Delivery"] = str(delivery.notification_id)
    message.set_content(delivery.text() + "\n")
    return message


def _tls_context(smtp: Any) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    if not smtp.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _send(message: EmailMessage, smtp: Any, timeout: float) -> str:
    """Blocking: connect, secure, log in, send. Returns the server's last reply."""
    client: smtplib.SMTP
    if smtp.security == "tls":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=_tls_context(smtp))
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    with client:
        client.ehlo()
        if smtp.security == "starttls":
            client.starttls(context=_tls_context(smtp))
            client.ehlo()
        if smtp.username:
            password = smtp.password.get_secret_value() if smtp.password is not None else ""
            client.login(smtp.username, password)
        refused = client.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        return "accepted for " + ", ".join(message["To"].split(", "))


def _reply_text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


async def deliver_email(delivery: Delivery, config: DeliveryConfig) -> Outcome:
    smtp = config.smtp
    if smtp is None or not smtp.host:
        return Outcome.failed(NOT_CONFIGURED, retryable=False)
    message = build_message(delivery, smtp.from_address)
    try:
        detail = await asyncio.wait_for(
            asyncio.to_thread(_send, message, smtp, config.timeout), config.timeout * 3
        )
    except TimeoutError:
        return Outcome.failed(f"SMTP timed out after {config.timeout:g} s", retryable=True)
    except smtplib.SMTPRecipientsRefused as error:
        return Outcome.failed(f"recipients refused: {error.recipients}", retryable=False)
    except smtplib.SMTPAuthenticationError as error:
        return Outcome.failed(
            f"SMTP login refused ({error.smtp_code}): check the username and password",
            retryable=False,
            status_code=error.smtp_code,
        )
    except smtplib.SMTPNotSupportedError:
        return Outcome.failed(
            "the SMTP server offers no login on this connection: check "
            "PROCTOR_SERVER_SERVICES_NOTIFIER_SMTP_SECURITY (starttls or tls) and the port",
            retryable=False,
        )
    except smtplib.SMTPResponseException as error:
        # 4xx replies are temporary by definition (RFC 5321), 5xx permanent.
        return Outcome.failed(
            f"SMTP {error.smtp_code}: {_reply_text(error.smtp_error)}",
            retryable=400 <= error.smtp_code < 500,
            status_code=error.smtp_code,
        )
    except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
        return Outcome.failed(f"{type(error).__name__}: {error}", retryable=True)
    return Outcome.ok(detail)


__all__ = ["NOT_CONFIGURED", "build_message", "deliver_email"]
