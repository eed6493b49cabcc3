"""Typed access to Bot API call parameters, however the client encoded them.

PTB 22 sends application/x-www-form-urlencoded (or multipart/form-data when a file is
uploaded) where string values are sent as-is and every other value is JSON-encoded
(see telegram/request/_requestparameter.py: RequestParameter.json_value). Other clients
send a JSON body with native types or a query string, so every accessor accepts both
the native value and its string form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from standin.errors import bad_request


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart part."""

    filename: str
    content_type: str
    body: bytes


@dataclass
class Params:
    """The parameters of one Bot API call."""

    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """Return whether the parameter was given with a non-empty value."""
        value = self.values.get(name)
        return (value is not None and value != "") or name in self.files

    def str_(self, name: str) -> str | None:
        """Return a string parameter, or None if absent."""
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def int_(self, name: str) -> int | None:
        """Return an integer parameter, or None if absent; 400 if not an integer."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def float_(self, name: str) -> float | None:
        """Return a numeric parameter, or None if absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool_(self, name: str) -> bool:
        """Return a boolean parameter (absent means False), accepting "true"/"1"."""
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        return str(value).strip().lower() in ("true", "1")

    def json_(self, name: str, what: str) -> Any:
        """Return a JSON-object/array parameter (decoded if sent as a string), or None."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {what} JSON object") from None
        return value
