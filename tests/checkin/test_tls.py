"""The box's own HTTPS: a local authority, a server certificate for its names, and `kiosk serve --https`."""

import ipaddress
import os
import stat
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import DNSName, IPAddress
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from kiosk.platform.tls import TLSError, ca_certificate_path, ensure_box_certificate


def load(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def verify(ca, leaf, name):
    """Verify as a browser would (chain, validity, names, name constraints)."""
    store = Store([ca])
    verifier = PolicyBuilder().store(store).build_server_verifier(name)
    return verifier.verify(leaf, [])


def test_certificate_covers_the_box_and_is_trusted_through_its_authority(tmp_path):
    """Does the server certificate verify through the box's authority for localhost, 127.0.0.1 and the names asked for?"""
    cert_path, key_path = ensure_box_certificate(str(tmp_path), ["cepourmoi.lan"], ["192.168.1.20"])
    ca = load(ca_certificate_path(str(tmp_path)))
    leaf = load(cert_path)
    for name in (DNSName("localhost"), DNSName("cepourmoi.lan"),
                 IPAddress(ipaddress.ip_address("127.0.0.1")), IPAddress(ipaddress.ip_address("192.168.1.20"))):
        verify(ca, leaf, name)
    with pytest.raises(VerificationError):
        verify(ca, leaf, DNSName("autre.lan"))
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc <= timedelta(days=398)  # Apple's limit
    for private in (key_path, tmp_path / "tls" / "ca.key"):
        assert stat.S_IMODE(os.stat(private).st_mode) == 0o600


def test_certificate_is_kept_then_renewed_by_the_same_authority(tmp_path):
    """Is the certificate kept as it is when nothing changed, and renewed (same authority) for a new name?"""
    cert_path, _key = ensure_box_certificate(str(tmp_path))
    first = cert_path.read_bytes()
    ca_before = ca_certificate_path(str(tmp_path)).read_bytes()
    ensure_box_certificate(str(tmp_path))
    assert cert_path.read_bytes() == first
    ensure_box_certificate(str(tmp_path), ["accueil.lan"])
    assert cert_path.read_bytes() != first
    assert ca_certificate_path(str(tmp_path)).read_bytes() == ca_before  # tablets need not trust again
    verify(load(ca_certificate_path(str(tmp_path))), load(cert_path), DNSName("accueil.lan"))


def test_authority_cannot_vouch_for_public_sites(tmp_path):
    """Would a certificate for a public website, signed with the box's key, be refused by a tablet that trusts the box?"""
    ensure_box_certificate(str(tmp_path))
    ca = load(ca_certificate_path(str(tmp_path)))
    ca_key = serialization.load_pem_private_key((tmp_path / "tls" / "ca.key").read_bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    forged = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.banque.fr")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("www.banque.fr")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    with pytest.raises(VerificationError):
        verify(ca, forged, DNSName("www.banque.fr"))


@pytest.mark.parametrize("name", ["example.com", "8.8.8.8"])
def test_public_names_are_refused(tmp_path, name):
    """Is a public name or address asked for refused with a plain message?"""
    names, addresses = ([], [name]) if name[0].isdigit() else ([name], [])
    with pytest.raises(TLSError):
        ensure_box_certificate(str(tmp_path), names, addresses)


def test_serve_refuses_a_public_name_in_one_line(app, runner):
    """Does `kiosk serve --https --tls-name example.com` stop with a one-line message and a non-zero exit?"""
    result = runner.invoke(args=["serve", "--https", "--tls-name", "example.com"])
    assert result.exit_code != 0
    assert "example.com" in result.output
    assert "Traceback" not in result.output


def test_tls_name_needs_https(app, runner):
    """Is --tls-name without --https refused?"""
    result = runner.invoke(args=["serve", "--tls-name", "boite.lan"])
    assert result.exit_code != 0


def test_ca_certificate_download(client, app, tmp_path, monkeypatch):
    """Is the authority offered at /ca.crt once made (404 with a message before), and never its key?"""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    missing = client.get("/ca.crt")
    assert missing.status_code == 404
    ensure_box_certificate(str(tmp_path))
    response = client.get("/ca.crt")
    body = response.get_data()
    response.close()
    assert response.status_code == 200
    assert response.mimetype == "application/x-x509-ca-cert"
    assert body == ca_certificate_path(str(tmp_path)).read_bytes()
    assert b"PRIVATE KEY" not in body
