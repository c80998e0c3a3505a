"""`kesu serve`: Kesu under gunicorn, the production WSGI server (never runserver).

Workers and threads come from the environment: KESU_WORKERS (default 2 × cores + 1, at most 9: each worker
holds a full Django with numpy/scipy in memory), KESU_THREADS (default 1; more than 1 uses threaded workers),
KESU_TIMEOUT (seconds a request may take before its worker is restarted, default 120: PDF summaries and
plan imports are slow). The application is loaded once before forking, so a settings error is reported
once and the workers share its memory. Access and error logs go to stderr, like Django's own log.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from kesu.domain.refusals import Refused

MAX_DEFAULT_WORKERS = 9
GRACEFUL_TIMEOUT = 30

# gunicorn merges this over its own defaults key by key, so each key is given whole.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False, "qualname": "gunicorn.access"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stderr"}},
    "formatters": {"generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"}},
}


class ServerSettingError(Refused, ValueError):
    """An environment variable of the server has a value it cannot use (message in Chinese, for the operator)."""


def default_workers(cores: int | None = None) -> int:
    return min(2 * (cores or os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ServerSettingError(f"环境变量 {name} 应为正整数，现在是 {raw!r}")
    return int(raw)


def server_options(bind: str, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """gunicorn's settings for `kesu serve --bind ADDRESS`."""
    return {
        "bind": [bind],
        "workers": _positive_int(environ, "KESU_WORKERS", default_workers()),
        "threads": _positive_int(environ, "KESU_THREADS", 1),
        "timeout": _positive_int(environ, "KESU_TIMEOUT", 120),
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "preload_app": True,
        "logconfig_dict": LOG_CONFIG,
        "proc_name": "kesu",
    }


def serve(bind: str, environ: Mapping[str, str] = os.environ) -> None:
    """Run gunicorn in this process until it is stopped (SIGTERM stops gracefully)."""
    from gunicorn.app.base import BaseApplication

    options = server_options(bind, environ)

    class KesuServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            # gunicorn 25+ opens a control socket in $HOME, one path for every server of the user: not used.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            from django.urls import get_resolver

            from kesu.wsgi import application

            # Import every view (and numpy/scipy behind them) before forking, so workers share that memory
            # and no worker spends its first request importing. No database connection is opened here.
            get_resolver().check()
            return application

    KesuServer().run()
