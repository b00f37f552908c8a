"""The Dash app around one predictor, loaded once at start: the browser never names a model or a file."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from dash import Dash, Input, Output

from degrade_ml.app import interface_callbacks, screen_callbacks
from degrade_ml.app.jobs import ScreenJobs
from degrade_ml.app.layout import page
from degrade_ml.models.predictor import InterfacePredictor

SHOWN, HIDDEN = {"display": "block"}, {"display": "none"}


def create_app(predictor: InterfacePredictor) -> Dash:
    app = Dash(__name__, title="degrade-ml", update_title=None)
    app.layout = page(predictor.materials)

    @app.callback(Output("interface-view", "style"), Output("screen-view", "style"), Input("url", "pathname"))
    def route(pathname):
        return (HIDDEN, SHOWN) if (pathname or "").rstrip("/").endswith("/screen") else (SHOWN, HIDDEN)

    interface_callbacks.register(app, predictor)
    screen_callbacks.register(app, ScreenJobs(predictor))
    return app


class PortUnavailable(OSError):
    """The address cannot be bound (in use, or not an address of this machine)."""


def serve(predictor: InterfacePredictor, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve the page until interrupted; requests are answered on threads, screens run on their own worker."""
    from werkzeug.serving import make_server

    _check_bindable(host, port)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server(host, port, create_app(predictor).server, threaded=True)
    say(f"serving on http://{host}:{port}/ (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _check_bindable(host: str, port: int) -> None:
    """PortUnavailable with the system's reason, before werkzeug would print several lines and exit."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise PortUnavailable(f"{host}:{port}: {error.strerror or error}") from None
