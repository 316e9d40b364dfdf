"""Secrets as values: long random tokens, stored only as SHA-256 hashes, compared in constant time.

Example:
    >>> token = new_token()
    >>> matches(token, hash_token(token)), matches("guess", hash_token(token))
    (True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: Bytes of randomness in a token (``token_urlsafe`` shows them as about 43 characters).
TOKEN_BYTES = 32
#: Bytes of randomness in a partnership's or partner's id (not a secret, but not guessable either).
ID_BYTES = 12


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_id() -> str:
    """A random id that never starts with ``-`` (a command line would read it as an option)."""
    while True:
        made = secrets.token_urlsafe(ID_BYTES)
        if not made.startswith("-"):
            return made


def hash_token(token: str) -> str:
    """The SHA-256 of ``token`` in hex: what is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def matches(token: str, stored_hash: str) -> bool:
    """Whether ``token`` hashes to ``stored_hash``, compared in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)
