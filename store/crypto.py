"""Keys for health data at rest: Fernet encryption of free text, keyed hashes of identifiers.

An engine gets its cipher with `install_cipher`; the `EncryptedText` column type looks it up
by the dialect it is handed, so two engines in one process can use different keys.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
import weakref

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Engine
from sqlalchemy.engine import Dialect

MARKER = "enc1:"  # an encrypted value; anything else is plaintext from before the key
ESCAPE = "plain:"  # plaintext that happens to start with a marker, stored without a key

_CIPHERS: weakref.WeakKeyDictionary[Dialect, MultiFernet] = weakref.WeakKeyDictionary()


class KeyMissing(RuntimeError):
    """An encrypted value was read, but no (matching) encryption key is configured."""


def make_cipher(keys: list[str]) -> MultiFernet | None:
    """A MultiFernet over `keys` (the first encrypts, all decrypt), or None without keys."""
    if not keys:
        return None
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as err:
        raise ValueError("RAMPE_ENCRYPTION_KEY is not a valid Fernet key") from err


def install_cipher(engine: Engine, cipher: MultiFernet | None) -> None:
    """Encrypt free-text columns written through `engine` with `cipher` (None: plaintext)."""
    if cipher is None:
        _CIPHERS.pop(engine.dialect, None)
    else:
        _CIPHERS[engine.dialect] = cipher


def cipher_for(dialect: Dialect) -> MultiFernet | None:
    """The cipher installed for `dialect`'s engine, if any."""
    return _CIPHERS.get(dialect)


def seal(value: str, cipher: MultiFernet | None) -> str:
    """The stored form of `value`: encrypted with a marker, or plaintext (escaped if needed)."""
    if cipher is not None:
        return MARKER + cipher.encrypt(value.encode()).decode()
    if value.startswith((MARKER, ESCAPE)):
        return ESCAPE + value
    return value


def unseal(stored: str, cipher: MultiFernet | None) -> str:
    """The text behind a stored value; plaintext rows from before the key read as they are."""
    if stored.startswith(ESCAPE):
        return stored[len(ESCAPE) :]
    if not stored.startswith(MARKER):
        return stored
    if cipher is None:
        raise KeyMissing("an encrypted note was read but RAMPE_ENCRYPTION_KEY is not set")
    try:
        return cipher.decrypt(stored[len(MARKER) :].encode()).decode()
    except InvalidToken as err:
        raise KeyMissing("an encrypted note does not match RAMPE_ENCRYPTION_KEY") from err


def reseal(stored: str, cipher: MultiFernet) -> str:
    """`stored` encrypted under `cipher`'s first key (rotating ciphertext, encrypting plaintext)."""
    if stored.startswith(MARKER):
        try:
            token = cipher.rotate(stored[len(MARKER) :].encode())
        except InvalidToken as err:
            raise KeyMissing("a stored note matches none of the keys given") from err
        return MARKER + token.decode()
    return seal(unseal(stored, None), cipher)


def normalise_ref(value: str) -> str:
    """An external identifier as compared: NFKC, no spaces or dashes, case-folded."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-.").casefold()


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 of a normalised identifier under `key`, as 64 hex digits."""
    digest = hmac.new(key.encode(), normalise_ref(value).encode(), hashlib.sha256)
    return digest.hexdigest()
