"""Reading request bodies with a size cap, before any parser sees them."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request

from alusta.errors import AlustaError

FORM_TYPE = "application/x-www-form-urlencoded"

FormFields = dict[str, list[str]]


class BodyError(AlustaError):
    """The request body cannot be read; `status` is the HTTP status to answer with."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


async def read_body(request: Request, *, max_bytes: int) -> bytes:
    """The whole body, refusing (413) anything larger than `max_bytes` without reading it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyError(f"request body is larger than {max_bytes} bytes", 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise BodyError(f"request body is larger than {max_bytes} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_fields(request: Request, *, max_bytes: int, max_fields: int) -> FormFields:
    """A url-encoded form as {name: [values]} (checkboxes repeat a name)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM_TYPE:
        raise BodyError(f"expected a body of type {FORM_TYPE}", 415)
    body = await read_body(request, max_bytes=max_bytes)
    try:
        return parse_qs(body.decode("utf-8"), max_num_fields=max_fields)
    except (UnicodeDecodeError, ValueError) as error:
        raise BodyError("the form is not valid UTF-8 url-encoded data", 400) from error


async def read_form(request: Request, *, max_bytes: int, max_fields: int) -> dict[str, str]:
    """A url-encoded form (Webmention 3.1) as {name: first value}."""
    fields = await read_fields(request, max_bytes=max_bytes, max_fields=max_fields)
    return {name: values[0] for name, values in fields.items()}
