"""Pingback 1.0 over XML-RPC, both ways: the call, the answer and the fault codes.

The receiving route parses calls and writes answers; the sender writes calls and reads
answers. Everything that arrives comes from a stranger, so it is parsed with defusedxml's
expat parser with DTDs forbidden: entity bombs and external entities are refused at the
first declaration, before anything expands.
"""

from __future__ import annotations

import xmlrpc.client
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser

from alusta.errors import AlustaError

METHOD = "pingback.ping"
# Pingback 1.0, "Error codes"
GENERIC_FAULT = 0
SOURCE_NOT_FOUND = 0x10
NO_LINK = 0x11
TARGET_NOT_FOUND = 0x20
TARGET_UNUSABLE = 0x21
ALREADY_REGISTERED = 0x30
ACCESS_DENIED = 0x31
UPSTREAM_ERROR = 0x32
# The XML-RPC fault interoperability codes (specs.xmlrpc.com/spec-fault-code)
PARSE_ERROR = -32700
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602


class Fault(AlustaError):
    """An XML-RPC fault: `code` (see above) and its one-sentence reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


class AlreadyRegistered(AlustaError):
    """The pingback has already been registered."""


class UnreadableAnswer(AlustaError):
    """An XML-RPC answer that is not a well-formed methodResponse with one value."""


def _unmarshal(body: bytes) -> xmlrpc.client.Unmarshaller:
    """Feed `body` through a DTD-less expat parser into an XML-RPC unmarshaller."""
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    parser.feed(body)
    parser.close()
    return unmarshaller


def call(source: str, target: str) -> bytes:
    """The body of `pingback.ping(sourceURI, targetURI)` (Pingback 1.0, section 3)."""
    return xmlrpc.client.dumps((source, target), methodname=METHOD, encoding="utf-8").encode()


def parse_call(body: bytes) -> tuple[str, str]:
    """(sourceURI, targetURI) of a pingback.ping call; Fault for anything else."""
    try:
        unmarshaller = _unmarshal(body)
        params = unmarshaller.close()
    # Hostile input makes expat, defusedxml and the unmarshaller raise many types.
    except Exception as error:
        raise Fault(PARSE_ERROR, "parse error: not a well-formed XML-RPC call") from error
    if unmarshaller.getmethodname() != METHOD:
        raise Fault(METHOD_NOT_FOUND, f"method not found: only {METHOD} is served")
    if len(params) != 2 or not all(isinstance(p, str) for p in params):
        raise Fault(INVALID_PARAMS, f"{METHOD} takes two strings: sourceURI, targetURI")
    return params[0].strip(), params[1].strip()


def success(message: str) -> str:
    """A methodResponse carrying the success string."""
    return xmlrpc.client.dumps((message,), methodresponse=True)


def fault(code: int, reason: str) -> str:
    """A methodResponse carrying a fault."""
    return xmlrpc.client.dumps(xmlrpc.client.Fault(code, reason), methodresponse=True)


def read_answer(content: bytes) -> str:
    """The success string of a methodResponse; Fault when the server answered one,
    UnreadableAnswer when the answer is not XML-RPC."""
    try:
        (message,) = _unmarshal(content).close()
    except xmlrpc.client.Fault as answer:
        code = answer.faultCode if isinstance(answer.faultCode, int) else GENERIC_FAULT
        raise Fault(code, str(answer.faultString)) from None
    # What expat, defusedxml and the unmarshaller raise on input that is not a methodResponse
    # (xmlrpc.client.Error: well-formed XML of another kind, such as an HTML page).
    except (
        ExpatError,
        DefusedXmlException,
        xmlrpc.client.Error,
        ValueError,
        TypeError,
        IndexError,
    ) as error:
        raise UnreadableAnswer(f"unreadable XML-RPC answer: {type(error).__name__}") from error
    return str(message)
