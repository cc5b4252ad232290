"""The API's request parser, in a module of its own: REST framework's settings
import it (DEFAULT_PARSER_CLASSES) while rest_framework.views is loading, so
it must not import rest_framework.views (as recoverynet.core.api does)."""

import codecs

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.utils import json as drf_json

from recoverynet.core import safe_json


# Request bodies are JSON only (the browsable API's raw-data form sends JSON too).
def _contains_null_character(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_null_character(k) or _contains_null_character(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_null_character(v) for v in value)
    return False


class TextOnlyJSONParser(parsers.JSONParser):
    """JSON nested at most safe_json.MAX_JSON_DEPTH levels deep (deeper is a
    400, not a RecursionError), whose strings hold no NUL character.
    PostgreSQL cannot store or even compare one (SQLite can), so it is refused
    here, once, for every field — lookups by slug included — as a 400 naming
    the field, never a database error."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = self._load(stream, parser_context or {})
        if isinstance(data, dict):
            bad = sorted(str(k) for k, v in data.items() if _contains_null_character(k) or _contains_null_character(v))
            if bad:
                raise exceptions.ValidationError({k: [NULL_CHARACTER_MESSAGE] for k in bad})
        elif _contains_null_character(data):
            raise exceptions.ValidationError({"non_field_errors": [NULL_CHARACTER_MESSAGE]})
        return data

    def _load(self, stream, parser_context):
        # As parsers.JSONParser.parse, with the depth bound.
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        parse_constant = drf_json.strict_constant if self.strict else None
        try:
            text = codecs.getreader(encoding)(stream).read()
            return safe_json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None


NULL_CHARACTER_MESSAGE = "Null characters are not allowed."
