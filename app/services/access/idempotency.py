"""Idempotency-Key for API creates: a retried request gets the first answer instead of a second thing."""

from __future__ import annotations

import hashlib
import json
import re
from copy import deepcopy
from datetime import timedelta
from functools import wraps
from typing import Any, Callable

import sqlalchemy as sa
from flask import Response, make_response, request
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import IdempotencyKey, utcnow

HEADER = "Idempotency-Key"
KEY_LIFETIME = timedelta(hours=24)
# A reservation with no answer after this long belongs to a request that died with its worker
# (gunicorn kills a worker after its 30 s timeout): a retry then takes the key over instead of
# hearing "still running" until the key expires.
IN_FLIGHT_LEASE = timedelta(seconds=60)
_KEY_SHAPE = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as HTTP header values allow
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
HEADER_PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "description": "A client-chosen key (1-255 visible ASCII characters, e.g. a UUID). Retrying with the same "
                   "key and body returns the first response; the same key with another body is refused (422).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def idempotent(view: Callable) -> Callable:
    """Let clients retry a create safely with an `Idempotency-Key` header.

    Place it below the role check and above `blp.arguments` so that it sees the signed-in user
    and the finished response. Only successful (2xx) responses are kept: an error created
    nothing, so a retry simply runs again.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None or not current_user.is_authenticated:
            return view(*args, **kwargs)
        if not _KEY_SHAPE.fullmatch(key):
            abort(422, message=f"{HEADER} must be 1 to 255 visible ASCII characters.",
                  errors={"headers": {HEADER: ["Not a valid key."]}})
        earlier, claimed = claim(db.session, current_user.id, key, request.method, request.path, request_fingerprint())
        if earlier is not None:
            return replay(earlier, request.method, request.path, request_fingerprint())
        return _run_and_remember(claimed, view, args, kwargs)

    wrapped._apidoc = _documented(getattr(view, "_apidoc", {}))  # type: ignore[attr-defined]
    return wrapped


def _run_and_remember(claimed: IdempotencyKey, view: Callable, args: tuple, kwargs: dict) -> Response:
    try:
        response = make_response(view(*args, **kwargs))
    except BaseException:
        release(db.session, claimed.id)
        raise
    if 200 <= response.status_code < 300:
        claimed.response_status = response.status_code
        claimed.response_body = response.get_data(as_text=True)
        db.session.add(claimed)
        db.session.commit()
    else:
        release(db.session, claimed.id)
    return response


def request_fingerprint() -> str:
    """SHA-256 of the query and body; JSON is compared by content, so key order and spacing do not matter."""
    body = request.get_json(silent=True)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode() if body is not None else request.get_data()
    return hashlib.sha256(request.query_string + b"\n" + canonical).hexdigest()


def claim(
    session: Session, user_id: int, key: str, method: str, path: str, fingerprint: str
) -> tuple[IdempotencyKey | None, IdempotencyKey | None]:
    """(earlier record, None) when the key was seen; else (None, the new reservation), committed at once.

    Committing the reservation before the work starts is what stops two concurrent retries
    from both creating: the second one hits the unique (user, key) constraint.
    """
    earlier = _find(session, user_id, key)
    if earlier is not None and (_expired(earlier) or _abandoned(earlier)):
        session.delete(earlier)
        session.commit()
        earlier = None
    if earlier is not None:
        return earlier, None
    claimed = IdempotencyKey(user_id=user_id, key=key, method=method, path=path, request_hash=fingerprint)
    session.add(claimed)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return _find(session, user_id, key), None
    return None, claimed


def _expired(record: IdempotencyKey) -> bool:
    return record.created_at < utcnow() - KEY_LIFETIME


def _abandoned(record: IdempotencyKey) -> bool:
    """Reserved, never answered, and older than any request can live: its request died (a killed worker)."""
    return record.response_status is None and record.created_at < utcnow() - IN_FLIGHT_LEASE


def replay(earlier: IdempotencyKey, method: str, path: str, fingerprint: str) -> Response:
    if (earlier.method, earlier.path, earlier.request_hash) != (method, path, fingerprint):
        abort(422, message=f"This {HEADER} was already used for a different request; send a new key.",
              errors={"headers": {HEADER: ["Used for a different request."]}})
    if earlier.response_status is None:
        abort(409, message=f"The first request with this {HEADER} is still running; retry in a moment.",
              headers={"Retry-After": "5"})
    response = Response(earlier.response_body, status=earlier.response_status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def release(session: Session, claim_id: int) -> None:
    """Forget a reservation whose request failed, so the client can retry with the same key."""
    session.rollback()
    session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))
    session.commit()


def purge_expired(session: Session) -> int:
    """Delete keys older than their lifetime; returns how many."""
    result = session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - KEY_LIFETIME))
    return result.rowcount or 0


def _find(session: Session, user_id: int, key: str) -> IdempotencyKey | None:
    return session.scalar(sa.select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))


def _documented(apidoc: dict) -> dict:
    """The view's OpenAPI entry plus the header and the two refusals it adds."""
    apidoc = deepcopy(apidoc)
    manual = apidoc.setdefault("manual_doc", {})
    manual.setdefault("parameters", []).append(HEADER_PARAMETER)
    responses = manual.setdefault("responses", {})
    responses.setdefault("409", {"description": "Conflict, or the first request with this Idempotency-Key is still running",
                                 "content": _ERROR})
    responses.setdefault("422", {"description": "Invalid input, or the Idempotency-Key was used for a different request",
                                 "content": _ERROR})
    return apidoc
