"""Executors: an external Dask scheduler that is not one, or never answers, is one line and no hang."""

from __future__ import annotations

import socket
import threading

import pytest

from sustainment.errors import ExecutorError
from sustainment.running import executors


def listening(reply: bytes | None) -> tuple[str, socket.socket]:
    """A local port that accepts connections and answers `reply` once (None: never answers)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            if reply is not None:
                connection.recv(1024)
                connection.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    return f"tcp://127.0.0.1:{server.getsockname()[1]}", server


@pytest.mark.parametrize("reply, message", [
    (None, "no Dask answer within 2 s"),
    (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 20, "something answers there, but not Dask"),
])
def test_a_scheduler_that_is_not_dask_is_one_line_and_no_hang(monkeypatch, reply, message):
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 2)
    address, server = listening(reply)
    try:
        with pytest.raises(ExecutorError, match=message):
            executors.DaskExecutor(1, address)
    finally:
        server.close()
