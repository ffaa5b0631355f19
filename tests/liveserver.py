"""A real uvicorn server on 127.0.0.1 in a background thread, which tests can stop and restart;
configured as ``policyqa serve`` configures it (api.server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from api.server import HttpLimits, server_config
from eval.loadtest import free_port


class LiveServer:
    """Serves ``make_app()`` with uvicorn until :meth:`stop`; :meth:`start` again reuses the port."""

    def __init__(self, make_app: Callable[[], ASGIApp], port: int | None = None,
                 limits: HttpLimits | None = None) -> None:
        self._make_app = make_app
        self._limits = limits or HttpLimits()
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        """Start serving and wait until the app has finished its start-up."""
        config = server_config(self._make_app(), "127.0.0.1", self.port, self._limits)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on {self.base}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop serving; connections are refused afterwards."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=30)
        self._server = self._thread = None
