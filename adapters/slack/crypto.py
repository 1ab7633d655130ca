"""Encryption of stored Slack tokens with BOUNDARY_SECRET_KEY (Fernet: AES-128-CBC + HMAC-SHA256).

The key may list several Fernet keys separated by commas: the first encrypts, all decrypt, so a
practice can rotate the key without losing its installations.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretKeyError(ValueError):
    """BOUNDARY_SECRET_KEY is missing or malformed; the message says how to make one."""


GENERATE_HINT = (
    "generate one with: "
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class TokenCipher:
    def __init__(self, secret_key: str | None) -> None:
        keys = [part.strip() for part in (secret_key or "").split(",") if part.strip()]
        if not keys:
            raise SecretKeyError(
                f"BOUNDARY_SECRET_KEY is required to store Slack tokens encrypted; {GENERATE_HINT}"
            )
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(f"BOUNDARY_SECRET_KEY is not a valid Fernet key; {GENERATE_HINT}") from exc

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError(
                "a stored Slack installation cannot be decrypted with BOUNDARY_SECRET_KEY"
            ) from exc
