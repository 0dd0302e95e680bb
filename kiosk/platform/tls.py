"""HTTPS for the box: a small certificate authority of its own, and a server certificate it signs.

Browsers open the camera only on a secure page (HTTPS, or localhost). The box has no internet and
no public name, so no public authority can vouch for it. Instead it makes its own authority once
(kept in instance/tls/, valid ten years) and a server certificate for its names and addresses,
renewed by itself when they change or when it nears its end. A tablet trusts the authority once
(README, "HTTPS"); later server certificates are trusted without touching the tablet again.

The authority is name-constrained to local names and private addresses: were the box stolen and
its key read, it still could not impersonate a public website to a tablet that trusts it.
"""

import ipaddress
import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.platform.interfaces import box_ip_addresses

CA_DAYS = 3650
# Apple refuses server certificates valid longer than 825 days, even from an authority a person
# installed; 397 days is accepted everywhere.
SERVER_DAYS = 397
RENEW_BEFORE = timedelta(days=30)
LOCAL_DNS_SUFFIXES = ("localhost", "local", "lan", "home", "home.arpa", "internal", "intranet")
PRIVATE_NETWORKS = (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10",
)


class TLSError(RuntimeError):
    """A certificate the box cannot make as asked; the message is for people."""


def tls_dir(instance_path: str) -> Path:
    return Path(instance_path) / "tls"


def ca_certificate_path(instance_path: str) -> Path:
    """Where the box's authority certificate is (the file tablets install)."""
    return tls_dir(instance_path) / "ca.crt"


def box_names(extra=()) -> list[str]:
    """The DNS names the box answers to: its hostname, hostname.local (mDNS), localhost, and extras."""
    hostname = socket.gethostname().strip().lower()
    names = [hostname, f"{hostname}.local"] if hostname and hostname != "localhost" else []
    return _unique(names + ["localhost"] + [name.strip().lower() for name in extra if name.strip()])


def ensure_box_certificate(instance_path: str, extra_names=(), extra_addresses=()) -> tuple[Path, Path]:
    """The server certificate and key files for the box's names and addresses, made or renewed if needed.

    Names and addresses found on the box that its authority may not sign are left out; those asked
    for explicitly (`extra_names`, `extra_addresses`) are refused with a TLSError instead.
    """
    folder = tls_dir(instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    extra_names = [name.strip().lower() for name in extra_names if name.strip()]
    try:
        extra_addresses = [ipaddress.ip_address(a) for a in extra_addresses]
    except ValueError as exc:
        raise TLSError(f"adresse IP invalide : {exc}") from None
    for name in extra_names:
        if not _is_local_name(name):
            raise TLSError(
                f"« {name} » n'est pas un nom du réseau local (sans point, ou en .local, .lan, "
                ".home.arpa) : l'autorité de la boîte ne signe que ceux-là"
            )
    for address in extra_addresses:
        if not _is_private(address):
            raise TLSError(f"{address} n'est pas une adresse privée : la boîte ne signe que des adresses locales")
    ca_cert, ca_key = _load_or_make_ca(folder, box_names(extra_names))
    permitted = _permitted_dns(ca_cert)
    names = [name for name in box_names(extra_names) if _within(name, permitted)]
    refused = [name for name in extra_names if name not in names]
    if refused:
        raise TLSError(
            f"l'autorité de la boîte ne couvre pas « {refused[0]} » : supprimez {folder} pour la refaire "
            "(les tablettes devront alors lui refaire confiance)"
        )
    addresses = _unique(
        [ipaddress.ip_address(a) for a in box_ip_addresses() if _is_private(ipaddress.ip_address(a))]
        + extra_addresses
    )
    cert_path, key_path = folder / "box.crt", folder / "box.key"
    if not _server_certificate_fits(cert_path, ca_cert, names, addresses):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _server_certificate(key, ca_cert, ca_key, names, addresses)
        _write_private(key_path, _key_pem(key))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _is_private(address) -> bool:
    return any(address in ipaddress.ip_network(net) for net in PRIVATE_NETWORKS)


def _permitted_dns(ca_cert) -> list[str]:
    try:
        constraints = ca_cert.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return []
    return [tree.value for tree in constraints.permitted_subtrees or [] if isinstance(tree, x509.DNSName)]


def _within(name: str, permitted: list[str]) -> bool:
    return any(name == tree or name.endswith("." + tree) for tree in permitted)


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _is_local_name(name: str) -> bool:
    return "." not in name or any(name == s or name.endswith("." + s) for s in LOCAL_DNS_SUFFIXES)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _load_or_make_ca(folder: Path, names: list[str]):
    cert_path, key_path = folder / "ca.crt", folder / "ca.key"
    if cert_path.is_file() and key_path.is_file():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if cert.not_valid_after_utc - _now() > RENEW_BEFORE:
            return cert, key
    key = ec.generate_private_key(ec.SECP256R1())
    hostname = names[0] if names else "boite"
    subject = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CéPourMoi"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"CéPourMoi {hostname} — autorité locale"),
    ])
    # Single-label names are local by nature: the box's hostname (and any other) gets its own subtree.
    dns_trees = _unique(list(LOCAL_DNS_SUFFIXES) + [n for n in names if "." not in n])
    constraints = x509.NameConstraints(
        permitted_subtrees=[x509.DNSName(name) for name in dns_trees]
        + [x509.IPAddress(ipaddress.ip_network(net)) for net in PRIVATE_NETWORKS],
        excluded_subtrees=None,
    )
    cert = (
        _builder(subject, subject, key.public_key(), CA_DAYS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(constraints, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _key_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "box.crt").unlink(missing_ok=True)  # signed by the old authority
    return cert, key


def _server_certificate(key, ca_cert, ca_key, names, addresses):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    san = x509.SubjectAlternativeName(
        [x509.DNSName(name) for name in names] + [x509.IPAddress(address) for address in addresses]
    )
    return (
        _builder(subject, ca_cert.subject, key.public_key(), SERVER_DAYS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=False, crl_sign=False, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(san, critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _builder(subject, issuer, public_key, days):
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=days))
    )


def _server_certificate_fits(cert_path: Path, ca_cert, names, addresses) -> bool:
    """Whether the certificate on disk is ours, current, and covers every name and address."""
    if not cert_path.is_file() or not cert_path.with_suffix(".key").is_file():
        return False
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        cert.verify_directly_issued_by(ca_cert)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    if cert.not_valid_after_utc - _now() < RENEW_BEFORE:
        return False
    return set(names) <= set(san.get_values_for_type(x509.DNSName)) and set(addresses) <= set(
        san.get_values_for_type(x509.IPAddress)
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)
