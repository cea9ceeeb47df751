"""Several `rampe serve` processes on one database, behind a small loopback balancer.

The balancer sends each request to the next replica in turn; a replica that refuses the
connection (it is gone) is skipped and the request goes to the next one, as a load balancer's
health checks and retries would do. A replica that dies while it has the request gets it
answered 502, as a load balancer does (it does not send a POST twice): the platform delivers
it again. It answers 502 too when no replica takes the request.
"""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import ClientConnectorError, ClientError, ClientSession, web

from tests.support_ops import rampe_env, start_rampe, wait_until_serving
from tests.support_pgcluster import free_port

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


@dataclass
class Balancer:
    """Round robin over `backends`, skipping the ones that refuse connections."""

    backends: list[str]
    served: dict[str, int] = field(default_factory=dict)  # backend -> requests it answered
    inflight: dict[str, int] = field(default_factory=dict)  # backend -> requests it has now
    died: int = 0  # requests whose replica went away while it had them (answered 502)
    _turn: Iterator[int] = field(default_factory=itertools.count)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._forward)
        return app

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        start = next(self._turn)
        for offset in range(len(self.backends)):
            backend = self.backends[(start + offset) % len(self.backends)]
            self.inflight[backend] = self.inflight.get(backend, 0) + 1
            try:
                async with (
                    ClientSession() as client,
                    client.request(
                        request.method, backend + request.path_qs, data=body, headers=headers
                    ) as answer,
                ):
                    content = await answer.read()
                    self.served[backend] = self.served.get(backend, 0) + 1
                    kind = answer.headers.get("Content-Type", "text/plain")
                    return web.Response(
                        status=answer.status, body=content, headers={"Content-Type": kind}
                    )
            except ClientConnectorError:
                continue  # this replica is gone: the next one takes the request
            except ClientError:  # it died with the request: the platform must deliver it again
                self.died += 1
                return web.Response(status=502, text="the replica went away")
            finally:
                self.inflight[backend] -= 1
        return web.Response(status=502, text="no replica answered")


@dataclass
class Replica:
    """One `rampe serve` process."""

    process: subprocess.Popen[str]
    url: str
    env: dict[str, str] = field(default_factory=dict)


@contextmanager
def replicas(
    count: int,
    db_url: str,
    cwd: Path,
    settings: dict[str, str],
    args: tuple[str, ...] = (),
    own: Callable[[int], dict[str, str]] = lambda _i: {},
) -> Iterator[list[Replica]]:
    """`count` replicas of `rampe serve ARGS` on `db_url` with `settings`, started together;
    killed at the end. `own(i)` gives replica i settings of its own."""
    started: list[Replica] = []
    try:
        for i in range(count):
            port = free_port()
            env = rampe_env(db_url, RAMPE_PORT=str(port), **settings, **own(i))
            process = start_rampe(["serve", *args], env, cwd)
            started.append(Replica(process, f"http://127.0.0.1:{port}", env))
        for replica in started:
            wait_until_serving(replica.url, replica.process)
        yield started
    finally:
        for replica in started:
            if replica.process.poll() is None:
                replica.process.kill()
            replica.process.communicate(timeout=30)
