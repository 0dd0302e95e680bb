"""Response hardening (after OWASP ASVS 5.0 level 2): CSP, framing, sniffing, referrer, caching,
and session cookies marked Secure whenever the request came over HTTPS."""

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # 'wasm-unsafe-eval' lets the offline QR decoder compile its WebAssembly; no inline script.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure over HTTPS, and still works on a plain-HTTP USB-scanner kiosk."""

    def get_cookie_secure(self, app) -> bool:
        if has_request_context() and request.is_secure:
            return True
        return super().get_cookie_secure(app)


def harden(response):
    """Add the security headers to every response; personal data is never cached."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
        headers.setdefault("Pragma", "no-cache")
    return response


def init_app(app) -> None:
    app.session_interface = SessionInterface()
    app.after_request(harden)
