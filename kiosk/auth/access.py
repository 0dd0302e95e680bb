"""Who may do what, decided in one place.

Every view says who it is for with `@allow(...)`: roles (coordinator, volunteer, referent) and
device kinds (kiosk, tablet), or `PUBLIC`. A view that says nothing is for coordinators only.
The guard runs before each request: credentials first (401, or the login page), then the role or
device (403), then CSRF on every unsafe method, as CONTRACT.md orders them.
"""

from dataclasses import dataclass

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select

from kiosk.platform.extensions import csrf, db
from kiosk.models import Device, DeviceKind, Role
from kiosk.platform.tokens import token_digest

PUBLIC = "public"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def allow(*grants):
    """Mark a view as open to these roles, device kinds, or PUBLIC."""

    def mark(view):
        view.allowed = frozenset(str(grant) for grant in grants)
        return view

    return mark


def keeps_input_on_csrf_failure(view):
    """Mark a form view: after a CSRF failure it is shown again with what was typed (not a 400 page).

    Only for views whose POST validates a FlaskForm first, so nothing happens without a valid token.
    """
    view.rerender_on_csrf_failure = True
    return view


def csrf_only_with_session(view):
    """Mark a public POST that does nothing without a session (logout): no CSRF check then."""
    view.csrf_only_with_session = True
    return view


@dataclass(frozen=True)
class RequestDevice:
    """The enrolled device making a request: what the guard and the views need of it."""

    id: int
    name: str
    kind: DeviceKind
    site_id: int = 1


DEVICE_BY_TOKEN = select(Device.id, Device.name, Device.kind, Device.site_id).where(
    Device.token_digest == bindparam("digest"), Device.revoked_at.is_(None)
)


def current_device() -> RequestDevice | None:
    """The enrolled device this browser is, from its long-lived cookie (None when not enrolled)."""
    if "device" not in g:
        token = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
        device = None
        if token and len(token) <= 128:
            row = db.session.execute(DEVICE_BY_TOKEN, {"digest": token_digest(token)}).first()
            device = RequestDevice(row[0], row[1], DeviceKind(row[2]), row[3]) if row else None
        g.device = device
    return g.device


def is_api_request() -> bool:
    return request.path.startswith("/api/")


# What a network user may open (CONTRACT.md, "Sites"): every site's figures, no one's name. Kept
# here, by endpoint, rather than on the views: a new view is closed to them until it is listed.
NETWORK_ENDPOINTS = frozenset({
    "sites.network", "dashboard.api_day", "reports.report", "reports.report_file", "privacy.audit_log",
    "reports.funder_export",  # the aggregate files only: the ESF+ file (a row per person) is refused in the view
    "sites.settings", "sites.update", "sites.upload_logo", "sites.delete_logo", "sites.logo",
})


def can(grants) -> bool:
    """Whether the current user or device holds one of the grants."""
    if current_user.is_authenticated and current_user.role == Role.NETWORK:
        return request.endpoint in NETWORK_ENDPOINTS
    if current_user.is_authenticated and str(current_user.role) in grants:
        return True
    device = current_device()
    return device is not None and str(device.kind) in grants


def has_credentials() -> bool:
    return current_user.is_authenticated or current_device() is not None


def guard():
    """Before each request: credentials, then role or device, then CSRF."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    grants = getattr(view, "allowed", frozenset({str(Role.COORDINATOR)}))
    if view is None and is_api_request() and not has_credentials():
        abort(401)  # CONTRACT.md: no login and no device is 401, whatever else is wrong
    if request.endpoint == "static" or view is None or PUBLIC in grants:
        if view is not None and request.method in UNSAFE_METHODS and (
            has_credentials() or not getattr(view, "csrf_only_with_session", False)
        ):
            check_csrf()
        return None
    if not has_credentials():
        if is_api_request():
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not can(grants):
        abort(403)
    check_csrf()
    return None


def check_csrf() -> None:
    """CSRF on every unsafe method, HTML forms and JSON alike (X-CSRFToken header)."""
    if request.method in UNSAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def init_app(app) -> None:
    from kiosk.platform.extensions import login_manager

    login_manager.session_protection = None  # sessions live on the server (see UserSession)
    app.before_request(guard)
    app.teardown_request(forget_request_identity)


def forget_request_identity(_error=None) -> None:
    """Drop the identity cached in g for this request, so it never outlives the request
    (it would where an app context spans several requests, as in tests or CLI scripts)."""
    for key in ("_login_user", "device", "csrf_token"):
        g.pop(key, None)


__all__ = ["PUBLIC", "Role", "DeviceKind", "allow", "can", "current_device"]
