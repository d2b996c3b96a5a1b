"""A real redis-server for the shared-limiter tests, started on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import define


@define
class RedisServer:
    """A redis-server process the tests own; it can be restarted on the same port."""

    binary: str
    port: int
    workdir: Path
    cluster: bool = False
    options: tuple[str, ...] = ()  # more redis-server options, e.g. ("--replicaof", ...)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # A cluster node also listens on a bus port, by default port + 10000: pick a free one.
        cluster = [] if not self.cluster else [
            "--cluster-enabled", "yes", "--cluster-port", str(_free_port()),
            "--cluster-config-file", str(self.workdir / "nodes.conf"),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), *cluster, *self.options],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.02)
        else:
            self.stop()
            raise RuntimeError("redis-server did not start")
        if self.cluster:
            try:
                self._own_every_slot(deadline)
            except BaseException:
                self.stop()
                raise

    def _own_every_slot(self, deadline: float) -> None:
        # A one-node cluster: it checks that a script's keys share a slot like a big one.
        from redis import Redis

        with Redis(port=self.port) as client:
            if client.execute_command("CLUSTER INFO")["cluster_slots_assigned"] == "0":
                client.execute_command("CLUSTER ADDSLOTS", *range(16384))  # kept on restart
            # The node declares its state ok by itself, after about a second and a half.
            while client.execute_command("CLUSTER INFO").get("cluster_state") != "ok":
                if time.monotonic() > deadline:
                    raise RuntimeError("the one-node Redis cluster did not come up")
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_binary() -> str:
    """The redis-server binary; without one, CI fails and a workstation skips."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt-get install -y redis-server)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A running redis-server on a free loopback port."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def spare_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own, to break (pause its clients, demote it) at will."""
    server = RedisServer(_redis_binary(), _free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_replica(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RedisServer]:
    """A read-only replica of `redis_server`: what a client reaches after a bad failover."""
    server = RedisServer(
        _redis_binary(), _free_port(), tmp_path_factory.mktemp("redis-replica"),
        options=("--replicaof", "127.0.0.1", str(redis_server.port)),
    )  # fmt: skip
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A running one-node Redis Cluster that owns every hash slot."""
    server = RedisServer(
        _redis_binary(), _free_port(), tmp_path_factory.mktemp("redis-cluster"), cluster=True
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def anyio_backend() -> str:
    """redis-py's client is asyncio-only."""
    return "asyncio"
