"""Sign-in throttling that slows guessing without locking anyone out or telling which names exist.

Three limits count failed sign-ins only (a 401), all in the shared rate-limit store:
- per address, across names: one machine guessing many accounts;
- per name and address: one machine guessing one account, in widening windows (the backoff);
- per name, across addresses: many machines guessing one account. A browser that has signed in
  as that name before carries a signed cookie that exempts it from this one, so an attacker who
  keeps failing on `admin` from elsewhere never keeps admin's own browser out.
The name is counted whether or not an account has it, so known and unknown names answer alike.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

PER_ADDRESS = "20 per minute"
PER_NAME_AND_ADDRESS = "5 per minute; 10 per 10 minutes; 20 per hour"
PER_NAME = "10 per minute; 30 per hour"
TOO_MANY_ATTEMPTS = _l("Too many sign-in attempts. Wait a minute and try again.")
DEVICE_COOKIE = "signed_in_here"
DEVICE_COOKIE_DAYS = 180
MAX_NAMES_PER_DEVICE = 5


def submitted_name() -> str:
    return (request.form.get("username") or "").strip().lower()[:80]


def name_key() -> str:
    return "login-name:" + submitted_name()


def name_and_address_key() -> str:
    return f"login-name-address:{submitted_name()}:{request.remote_addr}"


def failed(response: Response) -> bool:
    """Only a wrong name or password counts: the right one never uses up an attempt."""
    return response.status_code == 401


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sign-in-device")


def _device_names() -> list[str]:
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return []
    try:
        names = _serializer().loads(cookie, max_age=DEVICE_COOKIE_DAYS * 86400)
    except BadSignature:
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def known_device() -> bool:
    """This browser signed in as the submitted name before: the per-name limit does not apply to it."""
    return submitted_name() in _device_names()


def remember_device(response: Response, username: str) -> Response:
    names = [username.strip().lower()] + [n for n in _device_names() if n != username.strip().lower()]
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps(names[:MAX_NAMES_PER_DEVICE]),
                        max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), path="/login")
    return response
