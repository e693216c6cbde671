"""`python -m sandbox [--host H] [--port P] [--db PATH] [--seed N] [--token T]
[--token-lifetime S]`: a thin wrapper
around `sandbox.server.serve`, the same call the console's `salon sandbox` makes."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from platformdirs import user_data_path

from sandbox.oauth import DEFAULT_TOKEN_LIFETIME_S
from sandbox.server import serve
from sandbox.world import DEFAULT_SEED

DEFAULT_TOKEN = "training"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox",
                                     description="The operator API sandbox (demo world).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", type=Path, default=None,
                        help="the sandbox database (default: sandbox-<seed>.sqlite3 in the "
                             "user data directory)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--token", default=os.environ.get("SALON_SANDBOX_TOKEN", DEFAULT_TOKEN),
                        help="bearer token clients must send (default: $SALON_SANDBOX_TOKEN, "
                             "else 'training'); also the OAuth2 client secret of the client "
                             "'salon-console' at POST /sandbox/oauth/token")
    parser.add_argument("--token-lifetime", type=int, default=DEFAULT_TOKEN_LIFETIME_S,
                        metavar="SECONDS",
                        help="how long an OAuth2 access token lives, in seconds of the "
                             "sandbox's clock (default %(default)s)")
    args = parser.parse_args(argv)
    if args.token_lifetime < 1:
        parser.error("--token-lifetime: at least 1 second")
    db = args.db
    if db is None:
        db = user_data_path("salon", appauthor=False, ensure_exists=True) / \
            f"sandbox-{args.seed}.sqlite3"
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    serve(args.host, args.port, db, args.seed, args.token, token_lifetime_s=args.token_lifetime)


if __name__ == "__main__":
    main()
