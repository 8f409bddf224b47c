"""Email over STARTTLS and implicit TLS with a login, against a real aiosmtpd server using
a certificate made for the test: the message arrives, authenticated; a wrong password is a
permanent failure; a certificate nobody vouches for is refused."""

from __future__ import annotations

import email
import email.policy
import ipaddress
import ssl
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tests.server.alerting.receivers import free_port

from proctor.server.services.alerting.context import sample_context
from proctor.server.services.alerting.delivery import Delivery, DeliveryConfig
from proctor.server.services.alerting.delivery.email import deliver_email
from proctor.settings.services import SmtpSettings

USER, PASSWORD = "proctor", "s3cret-pass"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "proctor test smtp")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.logins.append(session.auth_data.decode() if session.auth_data else "")
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult

    ok = data.login == USER.encode() and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)


@pytest.fixture(params=["starttls", "tls"])
def mail_server(request: pytest.FixtureRequest, certificate: tuple[Path, Path]) -> Any:
    from aiosmtpd.controller import Controller

    cert_path, key_path = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    mailbox = Mailbox()
    port = free_port()
    server_kwargs: dict[str, Any] = {"authenticator": _authenticator, "auth_require_tls": True}
    if request.param == "starttls":
        controller = Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            tls_context=context,
            require_starttls=True,
            **server_kwargs,
        )
    else:
        controller = Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            ssl_context=context,
            # aiosmtpd does not see implicit TLS as TLS; the connection is encrypted anyway.
            **{**server_kwargs, "auth_require_tls": False},
        )
    controller.start()
    yield request.param, port, mailbox
    controller.stop()


def _delivery() -> Delivery:
    action = {"type": "email", "to": ["ops@example.com"], "subject": None, "message": None}
    return Delivery(
        notification_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        automation_id=uuid.uuid4(),
        automation_name="tls test",
        secret="unused-unused-unused",
        action=action,
        context=sample_context(),
    ).with_values("http://ui.example")


def _config(security: str, port: int, **smtp: Any) -> DeliveryConfig:
    settings = SmtpSettings(
        host="127.0.0.1",
        port=port,
        security=security,
        username=USER,
        from_address="proctor@example.com",
        **smtp,
    )
    return DeliveryConfig(timeout=5, ui_url="http://ui.example", smtp=settings)


async def test_tls_and_login(mail_server, certificate):
    security, port, mailbox = mail_server
    cert_path, _ = certificate
    outcome = await deliver_email(
        _delivery(), _config(security, port, password=PASSWORD, ca_file=str(cert_path))
    )
    assert outcome.success, outcome
    [message] = mailbox.messages
    assert message["Subject"] == "[Proctor] Run sample-run of sample-flow is Failed"
    assert mailbox.logins == [USER]

    refused = await deliver_email(
        _delivery(), _config(security, port, password="wrong", ca_file=str(cert_path))
    )
    assert not refused.success and not refused.retryable
    assert refused.error is not None and "login refused (535)" in refused.error

    unverified = await deliver_email(_delivery(), _config(security, port, password=PASSWORD))
    assert not unverified.success
    assert unverified.error is not None and "CERTIFICATE_VERIFY_FAILED" in unverified.error
    # No security asked for: the server will not take a login (or, on the implicit-TLS
    # port, plain SMTP at all), and nothing is sent in clear.
    plain = await deliver_email(_delivery(), _config("none", port, password=PASSWORD))
    assert not plain.success
    assert len(mailbox.messages) == 1
