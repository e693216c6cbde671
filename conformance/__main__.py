"""`python -m conformance [TMF635 TMF681 ...]`: start the sandbox on a fresh world on a free
loopback port, run each kit against it, print the table, exit 1 on any failure or any kit that
did not run (2 when the kits or node/npm are missing)."""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from conformance.kits import chosen
from conformance.paths import WORK, kits_folder
from conformance.results import KitResult, table
from conformance.runner import run_kit
from conformance.target import Target
from sandbox.server import start_in_background
from sandbox.world import DEFAULT_SEED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    parser.add_argument("kits", nargs="*", help="TMF numbers to run (default: every kit)")
    args = parser.parse_args(argv)
    try:
        kits = chosen(args.kits)
    except ValueError as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    source = kits_folder()
    missing = [kit.folder for kit in kits if not (source / kit.folder / "ctk").is_dir()]
    if missing:
        print(f"conformance: the kits {', '.join(missing)} are not in {source} (set TMF_KITS "
              "to the folder holding TM Forum's CTK-TMF... folders)", file=sys.stderr)
        return 2
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("conformance: node and npm are needed (make conformance installs Debian's "
              "nodejs and npm)", file=sys.stderr)
        return 2
    results: list[KitResult] = []
    with tempfile.TemporaryDirectory(prefix="conformance-world-") as world:
        sandbox = start_in_background(Path(world) / "sandbox.sqlite3", DEFAULT_SEED,
                                      secrets.token_hex(16))
        try:
            target = Target(sandbox.url, sandbox.token)
            for kit in kits:
                print(f"{kit.code}: running {kit.folder} against {sandbox.url}/tmf-api/"
                      f"{kit.api}/v4/ ...", flush=True)
                if kit.prepare is not None:
                    kit.prepare(target)
                results.append(run_kit(kit, source / kit.folder, target, WORK))
        finally:
            sandbox.stop()
    print()
    print(table(results))
    for result in results:
        if not result.ran:
            print(f"\n{result.code} did not run: {result.note}")
        for detail in result.details:
            print(f"\n{result.code} failed: {detail}")
    passed = sum(result.passed for result in results)
    print(f"\nconformance: {passed} of {len(results)} kits passed with every assertion green")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
