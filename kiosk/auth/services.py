"""Logins: checking passwords, limiting attempts, and sessions held on the server."""

import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.audit import AuditAction, record_audit
from kiosk.platform.tokens import token_digest
from kiosk.auth.passwords import password_problem
from kiosk.platform.extensions import db, login_manager
from kiosk.platform.numbers import ascii_int
from kiosk.models import LoginAttempt, Referrer, Role, User, UserSession, UserSite
from kiosk.platform.timezone import utcnow
from kiosk.sites.scope import current_site, every_site


class TooManyAttempts(Exception):
    """Too many failed logins from one address (for one username, or in all) within the window."""


class UserError(ValueError):
    """A user that cannot be created as asked."""


def too_many_failures(username: str, remote_addr: str) -> bool:
    """CONTRACT.md: 5 failures for one username from one address within 15 minutes, or 20 from one
    address whatever the usernames. Only failures from this address count: whoever fails elsewhere
    cannot lock the coordinator out."""
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    from_here = db.select(LoginAttempt.username).where(
        LoginAttempt.remote_addr == remote_addr,
        LoginAttempt.attempted_at >= since,
        LoginAttempt.succeeded.is_(False),
    ).limit(current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]).subquery()
    in_all, for_username = db.session.execute(
        db.select(func.count(), func.count().filter(from_here.c.username == username))
    ).one()
    return (in_all >= current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
            or for_username >= current_app.config["LOGIN_MAX_FAILURES"])


@cache
def dummy_hash() -> str:
    """A hash of the same kind as every user's: checking it takes as long as a real check."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(username: str, password: str, remote_addr: str | None) -> User | None:
    """Check a login and record the attempt; raise TooManyAttempts past a limit (not recorded:
    a refused attempt says nothing new, and the table stays small under a flood)."""
    username = username.strip()[:80]
    remote_addr = (remote_addr or "")[:64]
    if too_many_failures(username, remote_addr):
        raise TooManyAttempts(username)
    with every_site():  # a username is the network's: the login tells the site
        user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None or not user.active:
        check_password_hash(dummy_hash(), password)  # the same time whether the username exists or not
        ok = False
    else:
        ok = user.check_password(password)
    db.session.add(LoginAttempt(username=username, succeeded=ok, remote_addr=remote_addr))
    return user if ok else None


def start_session(user: User) -> None:
    """Log in with a brand-new session: the old cookie's content is dropped, a server row is made."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=token_digest(token), user_id=user.id))
    session["sid"] = token
    session.permanent = True
    login_user(user)


def end_session() -> None:
    """Log out: the server forgets the session, so the old cookie no longer works."""
    token = session.get("sid")
    if token:
        db.session.execute(db.delete(UserSession).where(UserSession.id == token_digest(token)))
    logout_user()
    session.clear()


def end_all_sessions(user: User) -> None:
    """Forget every session of a user (disabled, password changed)."""
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))


@login_manager.user_loader
def load_user_for_session(user_id: str) -> User | None:
    """Flask-Login's loader: the user only while their server-side session exists."""
    token = session.get("sid")
    if not token or ascii_int(str(user_id)) is None:
        return None
    row = db.session.get(UserSession, token_digest(token))
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    if row is None or row.user_id != int(user_id) or row.created_at < utcnow() - lifetime:
        return None
    with every_site():
        user = row.user
    return user if user.active else None


def change_password(user: User, password: str) -> None:
    """Set a new password; the user's open sessions end (a lost or shared password stops working)."""
    if problem := password_problem(password, user.username, user.display_name):
        raise UserError(problem)
    user.set_password(password)
    end_all_sessions(user)
    record_audit(AuditAction.PASSWORD, "user", user.id)


def disable_user(user: User) -> None:
    """Disable a login: their open sessions end at once."""
    user.active = False
    end_all_sessions(user)
    record_audit(AuditAction.DISABLE, "user", user.id)


def referrer_for_user(name: str) -> Referrer:
    """The referrer a referent is tied to: the one lookup of kiosk.people.referrers."""
    from kiosk.people.referrers import ReferrerError, find_or_create_referrer

    try:
        return find_or_create_referrer(name)
    except ReferrerError as exc:
        raise UserError(str(exc)) from exc


def add_user(
    username: str,
    role: Role,
    password: str,
    referrer_name: str | None = None,
    display_name: str | None = None,
    site_ids: list[int] | None = None,
) -> User:
    """Create a login; a referent is tied to their referrer. `site_ids`: its site (a referent:
    their sites, the first one theirs); left out, the current site; a network user has none."""
    username = username.strip()
    if not username or len(username) > 80 or any(ch.isspace() for ch in username):
        raise UserError("identifiant invalide (sans espace, 80 caractères au plus)")
    if problem := password_problem(password, username, display_name):
        raise UserError(problem)
    with every_site():
        taken = db.session.scalar(db.select(User.id).where(User.username == username))
    if taken:
        raise UserError(f"l'identifiant « {username} » existe déjà")
    if role == Role.REFERENT and not referrer_name:
        raise UserError("un référent doit être rattaché à un orienteur (--referrer)")
    referrer = referrer_for_user(referrer_name) if referrer_name else None
    user = User(username=username, role=role, referrer=referrer, display_name=display_name,
                site_id=None if role == Role.NETWORK else (site_ids[0] if site_ids else current_site()))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    for site_id in (site_ids or [])[1:]:
        db.session.add(UserSite(user_id=user.id, site_id=site_id))
    record_audit(AuditAction.CREATE, "user", user.id)
    return user
