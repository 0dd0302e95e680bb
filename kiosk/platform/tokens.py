"""Bearer tokens (devices, sessions, enrolment) are stored as digests, never as themselves."""

import hashlib


def token_digest(token: str) -> str:
    """The digest under which a bearer token (device, session, enrolment) is stored."""
    return hashlib.sha256(token.encode()).hexdigest()
