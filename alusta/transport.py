"""Which sockets an outbound fetch may open: an httpx transport on a guarded httpcore pool.

alusta.http decides what to fetch (URL rules, redirects, time budget, size cap); this
module decides where a connection may go. Unless the policy allows it, every address a
host resolves to must be public, and the socket connects to exactly the address that was
checked: the network backend resolves, checks and connects in one step, so a second DNS
answer (DNS rebinding) never reaches a socket, at every redirect hop, because every hop
opens its connections through the same pool. Host header and TLS SNI keep the name.

Built on public API only: `httpx.AsyncBaseTransport` over
`httpcore.AsyncConnectionPool(network_backend=…)`, with httpcore's exceptions turned into
httpx's (the mapping httpx's own transport does) so callers see one exception family.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from ipaddress import ip_address

import httpcore
import httpx

from alusta.addresses import IPAddress
from alusta.errors import AddressRefused, NetworkError

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
AddressPolicy = Callable[[IPAddress, int], bool]

# Most specific first: the first match wins.
HTTPCORE_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (getaddrinfo runs in the loop's thread pool)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise NetworkError(f"{host} could not be resolved: {exc}") from exc
    addresses = [ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    return list(dict.fromkeys(addresses))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to a checked address only."""

    def __init__(self, resolver: Resolver, policy: AddressPolicy) -> None:
        self._resolver = resolver
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolver(host, port)
        if not addresses:
            raise NetworkError(f"{host} resolves to no address")
        refused = [str(ip) for ip in addresses if not self._policy(ip, port)]
        if refused:
            raise AddressRefused(f"{host} resolves to a refused address: {', '.join(refused)}")
        error: Exception | None = None
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,  # type: ignore[arg-type]
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error  # type: ignore[misc]

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose every connection is opened by a GuardedBackend."""

    def __init__(self, backend: GuardedBackend) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(), network_backend=backend
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),  # type: ignore[arg-type]
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class _ResponseStream(httpx.AsyncByteStream):
    """httpcore's body stream with its errors raised as httpx's."""

    def __init__(self, stream: AsyncIterator[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        if hasattr(self._stream, "aclose"):
            await self._stream.aclose()


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """Raise httpcore's transport errors as the matching httpx error."""
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in HTTPCORE_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context per process: building one costs ~25 ms of CPU (certificate store)."""
    return httpx.create_ssl_context(trust_env=False)
