"""What the API accepts, and no more: body size, payload size, definition size, nesting depth.

The parser bounds the body and turns any JSON it cannot read (malformed, NaN, nested past what
Python's parser can follow) into a 400; the fields below are what serializers use for payloads
and definitions, so every resource refuses the same things with the same words.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from designer.api.errors import PayloadTooLarge
from designer.services.machines import MAX_DEFINITION_BYTES
from engine.json import JSON, MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES, depth_of, dumps

MAX_INPUT_BYTES = MAX_PAYLOAD_BYTES  # AWS's 256 KiB on an execution's input and a task's output
# Room for a 1 MiB definition sent as a JSON string, where every quote and newline is escaped.
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE says the same for the requests it reads itself.
MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class LimitedJSONParser(JSONParser):
    """JSON bodies up to MAX_BODY_BYTES. Every way a body can be unreadable is a ParseError (400)."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> JSON:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"The request body is over {MAX_BODY_BYTES} bytes; send less at a time.")
        try:
            return json.loads(codecs.decode(body, encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(
                f"The JSON body nests too deeply; at most {MAX_NESTING_DEPTH} levels are accepted."
            ) from None
        except ValueError as error:  # UnicodeDecodeError is a ValueError too
            raise ParseError(f"The body is not valid JSON ({error}). Send one JSON object.") from None


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def check_payload(value: JSON, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """A JSON value within the nesting limit and `max_bytes` as compact UTF-8 JSON."""
    if depth_of(value) > MAX_NESTING_DEPTH:
        raise serializers.ValidationError(
            f"The value nests deeper than {MAX_NESTING_DEPTH} levels; flatten it.", code="too_deep"
        )
    size = len(dumps(value).encode("utf-8"))
    if size > max_bytes:
        raise serializers.ValidationError(
            f"The value is {size} bytes as JSON; at most {max_bytes} are allowed.", code="too_large"
        )


class PayloadField(serializers.JSONField):
    """Any JSON value (null included) within AWS's payload limit and our nesting limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)
        self.validators.append(check_payload)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}]})
class DefinitionField(serializers.Field):  # type: ignore[type-arg]
    """A definition: ASL text (JSON or YAML), or a JSON object, which is kept as indented JSON text."""

    default_error_messages = {
        "type": "A definition is ASL text (JSON or YAML) or a JSON object.",
        "too_large": "The definition is {size} bytes; at most {limit} are allowed. Split the state machine.",
    }

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, dict):
            check_payload(data, max_bytes=MAX_DEFINITION_BYTES)
            data = json.dumps(data, indent=2, ensure_ascii=False)
        if not isinstance(data, str):
            self.fail("type")
        size = len(data.encode("utf-8"))
        if size > MAX_DEFINITION_BYTES:
            self.fail("too_large", size=size, limit=MAX_DEFINITION_BYTES)
        return data

    def to_representation(self, value: str) -> str:
        return value
