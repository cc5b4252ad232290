"""Helpers around django-fernet-encrypted-fields.

The library derives its Fernet keys once per field (cached properties) from
SALT_KEY x (SECRET_KEY + SECRET_KEY_FALLBACKS); the first pair encrypts, all
of them decrypt. When a value cannot be decrypted the library silently
returns the ciphertext, so code that must be sure (key rotation) checks the
raw column itself."""

import json

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver
from encrypted_fields.fields import EncryptedFieldMixin, EncryptedJSONField

KEY_SETTINGS = {"SALT_KEY", "SECRET_KEY", "SECRET_KEY_FALLBACKS"}


def encrypted_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]


def models_with_encrypted_fields() -> list:
    return [m for m in apps.get_models() if not m._meta.proxy and encrypted_fields(m)]


def forget_keys() -> None:
    """Drop every field's cached keys, so the next use derives them from the current settings."""
    for model in models_with_encrypted_fields():
        for field in encrypted_fields(model):
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


@receiver(setting_changed)
def _keys_changed(*, setting, **kwargs):
    if setting in KEY_SETTINGS:
        forget_keys()


def raw_tokens(field, raw) -> list:
    """The Fernet tokens in one raw column value (a JSON field holds one per leaf)."""
    if raw is None:
        return []
    if isinstance(field, EncryptedJSONField):
        value = json.loads(raw) if isinstance(raw, str) else raw
        tokens = []
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif item is not None:
                tokens.append(str(item))
        return tokens
    return [str(raw)]


def token_state(field, token: str) -> str:
    """ "current" (encrypted with the first key), "old" (another configured key) or "unreadable"."""
    data = token.encode("utf-8")
    try:
        Fernet(field.keys[0]).decrypt(data)
    except InvalidToken:
        pass
    else:
        return "current"
    try:
        field.f.decrypt(data)
    except InvalidToken:
        return "unreadable"
    return "old"
