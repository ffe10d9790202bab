"""Password hashing with argon2id, rehashing when the parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)  # argon2id, 64 MiB, t=3


def use_profile(name: str) -> None:
    """Switch the argon2 parameters (a name from argon2.profiles); the test suite uses CHEAPEST."""
    global _hasher, DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(getattr(profiles, name))
    DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# A hash to verify against when the user does not exist, so timing does not reveal usernames.
DUMMY_HASH = _hasher.hash("not a real password")
