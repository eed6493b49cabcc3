"""Text formatting the way the Bot API server does it: HTML parse mode, trimming, commands.

The HTML parser follows the algorithm of tdlib's ``parse_html`` (which the real Bot API
server runs) instead of ``html.parser``: the stdlib parser happily accepts input that
Telegram rejects (a bare ``<`` in text, unknown tags, unquoted junk), and the bot has to
see the same ``can't parse entities`` errors here as in production, including the byte
offsets in the messages.
"""

from __future__ import annotations

import re
from typing import Any

from standin.errors import ApiError, bad_request

Entity = dict[str, Any]

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
# tdlib's is_space() counts NUL, which doubles as its end-of-string sentinel.
_SPACES = frozenset(b" \t\r\n\v\f\x00")
# Order used when two entities share offset and length (tdlib sorts the same way).
_TYPE_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_BOT_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Return entities in Telegram's order: by offset, longer first, then by type."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50)),
    )


def bot_command_entities(text: str) -> list[Entity]:
    """Return the bot_command entities Telegram attaches to a user's message text."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _BOT_COMMAND.finditer(text)
    ]


def _parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


class _Scanner:
    """Byte-level cursor; reading past the end yields NUL like tdlib's C string."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def at(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def decode_entity(self, pos: int) -> tuple[int, int]:
        """Decode the character reference at pos: (code point or 0 if none, end position)."""
        end = pos + 1
        code = 0
        if self.at(end) == ord("#"):
            end += 1
            if self.at(end) == ord("x"):
                end += 1
                while chr(self.at(end)) in "0123456789abcdefABCDEF":
                    code = code * 16 + int(chr(self.at(end)), 16)
                    end += 1
            else:
                while ord("0") <= self.at(end) <= ord("9"):
                    code = code * 10 + self.at(end) - ord("0")
                    end += 1
            if code == 0 or code >= 0x10FFFF or end - pos >= 10:
                return 0, pos
        else:
            while chr(self.at(end)).isascii() and chr(self.at(end)).isalpha():
                end += 1
            named = _NAMED_ENTITIES.get(self.data[pos + 1 : end])
            if named is None:
                # Telegram keeps an unknown entity such as &nbsp; as literal text.
                return 0, pos
            code = named
        if self.at(end) == ord(";"):
            end += 1
        return code, end


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Parse Telegram-flavoured HTML into plain text and entities, or raise a 400 ApiError."""
    scan = _Scanner(text.encode("utf-8"))
    data = scan.data
    out = bytearray()
    utf16 = 0
    entities: list[Entity] = []
    # Open tags: (tag name, argument, utf16 offset at open, output byte offset at open).
    stack: list[tuple[str, str, int, int]] = []
    i = 0
    while i < len(data):
        c = data[i]
        if c == ord("&"):
            code, end = scan.decode_entity(i)
            if code:
                if 0xD800 <= code <= 0xDFFF:
                    raise _parse_error(
                        "Text contains invalid Unicode characters after decoding HTML entities, "
                        "check for unmatched surrogate code units"
                    )
                out += chr(code).encode("utf-8")
                utf16 += 2 if code > 0xFFFF else 1
                i = end
                continue
        if c != ord("<"):
            if c & 0xC0 != 0x80:
                utf16 += 2 if c >= 0xF0 else 1
            out.append(c)
            i += 1
            continue
        begin = i
        i += 1
        if scan.at(i) != ord("/"):
            i, tag, argument = _parse_start_tag(scan, begin)
            stack.append((tag, argument, utf16, len(out)))
            continue
        if not stack:
            raise _parse_error(f"Unexpected end tag at byte offset {begin}")
        while scan.at(i) not in _SPACES and scan.at(i) != ord(">"):
            i += 1
        end_name = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while scan.at(i) in _SPACES and scan.at(i) != 0:
            i += 1
        if scan.at(i) != ord(">"):
            raise _parse_error(f"Unclosed end tag at byte offset {begin}")
        i += 1
        tag, argument, start, start_byte = stack.pop()
        if end_name and end_name != tag:
            raise _parse_error(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                f'found "</{end_name}>"'
            )
        if utf16 > start:
            inner = bytes(out[start_byte:]).decode("utf-8", "replace")
            _close_entity(entities, tag, argument, start, utf16 - start, inner)
    if stack:
        raise _parse_error(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return out.decode("utf-8"), sort_entities(entities)


def _parse_start_tag(scan: _Scanner, begin: int) -> tuple[int, str, str]:
    """Parse `<tag attr="v" ...>` at begin; return (position after '>', tag, argument)."""
    data = scan.data
    i = begin + 1
    while scan.at(i) not in _SPACES and scan.at(i) != ord(">"):
        i += 1
    if scan.at(i) == 0:
        raise _parse_error(f"Unclosed start tag at byte offset {begin}")
    tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
    if tag not in _ALLOWED_TAGS:
        raise _parse_error(f'Unsupported start tag "{tag}" at byte offset {begin}')
    argument = ""
    while scan.at(i) != ord(">"):
        while scan.at(i) != 0 and scan.at(i) in _SPACES:
            i += 1
        if scan.at(i) == ord(">"):
            break
        name_begin = i
        while scan.at(i) not in _SPACES and scan.at(i) not in (ord("="), ord(">")):
            i += 1
        name = data[name_begin:i].decode("utf-8", "replace")
        if not name:
            raise _parse_error(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while scan.at(i) != 0 and scan.at(i) in _SPACES:
            i += 1
        if tag == "blockquote" and name == "expandable" and scan.at(i) != ord("="):
            # The one valueless attribute Telegram accepts.
            argument = "expandable"
            continue
        if scan.at(i) != ord("="):
            raise _parse_error(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {begin}'
            )
        i += 1
        while scan.at(i) != 0 and scan.at(i) in _SPACES:
            i += 1
        if scan.at(i) == 0:
            raise _parse_error(f'Unclosed start tag "{tag}" at byte offset {begin}')
        i, value = _parse_attribute_value(scan, i)
        if scan.at(i) == 0:
            raise _parse_error(f"Unclosed start tag at byte offset {begin}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
    if tag == "span" and argument != "spoiler":
        raise _parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return i + 1, tag, argument


def _parse_attribute_value(scan: _Scanner, i: int) -> tuple[int, str]:
    """Parse a quoted string or a bare name token; return (next position, value)."""
    quote = scan.at(i)
    if quote not in (ord("'"), ord('"')):
        start = i
        while chr(scan.at(i)).isascii() and (chr(scan.at(i)).isalnum() or scan.at(i) in b".-"):
            i += 1
        if scan.at(i) not in _SPACES and scan.at(i) != ord(">"):
            raise _parse_error(f"Unexpected end of name token at byte offset {start}")
        return i, scan.data[start:i].decode("utf-8").lower()
    i += 1
    value = bytearray()
    while scan.at(i) != quote and scan.at(i) != 0:
        if scan.at(i) == ord("&"):
            code, end = scan.decode_entity(i)
            if code:
                value += chr(code).encode("utf-8", "surrogatepass")
                i = end
                continue
        value.append(scan.at(i))
        i += 1
    if scan.at(i) == quote:
        i += 1
    return i, value.decode("utf-8", "replace")


def _close_entity(
    entities: list[Entity], tag: str, argument: str, offset: int, length: int, inner: str
) -> None:
    """Append the entity a closed tag produces, merging <pre><code class> like Telegram."""
    simple = _SIMPLE_TYPES.get(tag)
    if simple is not None:
        entities.append({"type": simple, "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0:
            raise _parse_error("Invalid custom emoji identifier specified")
        entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": argument,
            }
        )
    elif tag == "a":
        url = argument or inner
        if url:
            if "://" not in url and not url.startswith(("tg:", "mailto:")):
                url = f"http://{url}"
            entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
    elif tag in ("pre", "code"):
        last = entities[-1] if entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (offset, length)
        if tag == "pre" and last is not None and same_span and last["type"] == "code":
            if last.get("language"):
                last["type"] = "pre"  # <pre><code class="language-x"> is one pre entity
                return
        elif (
            tag == "code" and last is not None and same_span and last["type"] == "pre" and argument
        ):
            last["language"] = argument
            return
        entity: Entity = {"type": tag, "offset": offset, "length": length}
        if tag == "code" and argument:
            entity["language"] = argument  # dropped at the end unless a <pre> claims it
        entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if argument == "expandable" else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def format_text(
    text: str, parse_mode: str | None, entities: list[Entity] | None, *, caption: bool = False
) -> tuple[str, list[Entity]]:
    """Turn (text, parse_mode, entities) into the plain text and entities Telegram stores."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, parsed = parse_html(text)
    else:
        # Markdown modes are passed through unparsed: the bot formats with HTML only.
        plain, parsed = text, sort_entities(list(entities or []))
    plain, parsed = trim(plain, parsed)
    if not caption and not plain:
        raise bad_request("message text is empty")
    limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
    if len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return plain, parsed
