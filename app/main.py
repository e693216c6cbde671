"""The one place that builds everything: config → store → adapters → services → GUI or CLI.

Heavy libraries (httpx, peewee, fastapi, uvicorn) are imported only when services are built,
so the window appears first and the rest follows on a worker (DESIGN §9: usable in 1.5 s).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import secrets
import sys
import threading
from pathlib import Path

from app import cli
from app.config import Settings, load_settings
from app.errors import ConfigError, SalonError
from app.i18n import _, set_language
from app.services.registry import Services

log = logging.getLogger("salon")


class Wiring:
    """Builds the services once, on first use, from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._services: Services | None = None
        self._lock = threading.Lock()

    def services(self) -> Services:
        with self._lock:
            if self._services is None:
                self._services = build_services(self.settings)
            return self._services

    def close(self) -> None:
        with self._lock:
            if self._services is not None:
                self._services.close()
                self._services = None

    def serve_sandbox(self, host: str, port: int, db: Path | None, seed: int | None) -> None:
        from sandbox.server import serve

        token = os.environ.get("SALON_SANDBOX_TOKEN") or "training"
        db_path = db or self.settings.data_dir / "sandbox.db"
        seed = self.settings.operator.sandbox_seed if seed is None else seed
        print(_("Sandbox operator API on http://{host}:{port} (world {db}, seed {seed}).")
              .format(host=host, port=port, db=db_path, seed=seed), file=sys.stderr)
        serve(host, port, db_path, seed, token)


def build_services(settings: Settings) -> Services:
    from app.operator_api.client import OperatorClient
    from app.services.audit import AuditJournal
    from app.services.connection import ConnectionState
    from app.services.daily_log import DailyLogService
    from app.services.lookup import LookupService
    from models.card_cache import StoreCardCache
    from models.db import open_store
    from models.migrations import SchemaTooNew

    try:
        store = open_store(settings.database_url)
    except SchemaTooNew as error:
        raise ConfigError(_(
            "The local database was written by a newer version of the console ({detail}); "
            "update the console."
        ).format(detail=error)) from error
    except Exception as error:  # the driver's own errors differ per database
        log.exception("cannot open the local store")
        raise ConfigError(_(
            "The local database cannot be opened ({url}): {error}"
        ).format(url=_redacted(settings.database_url), error=error)) from error

    closers = [store.close]
    if settings.operator.embedded:
        from sandbox.server import start_in_background

        running = start_in_background(
            settings.data_dir / "sandbox.db", settings.operator.sandbox_seed,
            secrets.token_urlsafe(24),
        )
        base_url, token = running.url, running.token
        closers.append(running.stop)
    else:
        from app.services.credentials import operator_token

        base_url, token = settings.operator.url, operator_token(settings.operator.url)

    client = OperatorClient(
        base_url, token,
        connect_timeout=settings.operator.connect_timeout,
        read_timeout=settings.operator.read_timeout,
        read_retries=settings.operator.read_retries,
    )
    closers.insert(0, client.close)
    connection = ConnectionState()

    def close() -> None:
        for closer in closers:
            closer()

    audit = AuditJournal(settings.salon.id, settings.salon.counter)
    return Services(
        settings=settings,
        lookup=LookupService(client, StoreCardCache(), connection),
        connection=connection,
        audit=audit,
        daily_log=DailyLogService(audit, settings.salon),
        demo_subscribers=client.demo_subscribers if settings.operator.embedded else None,
        close=close,
    )


def _redacted(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def setup_logging(settings: Settings) -> None:
    """Details go to a rotating file in the data folder; the clerk only ever sees sentences."""
    logs = settings.data_dir / "logs"
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            logs / "salon.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    # httpx logs every request URL at INFO; enough that we log failures ourselves.
    for noisy in ("httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    set_language(os.environ.get("SALON_LANGUAGE") or settings.salon.language)
    setup_logging(settings)
    wiring = Wiring(settings)
    try:
        if args.command is None:
            from app.ui.app import run_gui

            run_gui(settings, wiring.services)
            return 0
        return cli.run(args, wiring)
    except SalonError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    finally:
        wiring.close()


if __name__ == "__main__":
    sys.exit(main())
