"""`python -m conformance [TMF635 TMF681 ...]`: start the sandbox on a fresh world on a free
loopback port, run each kit against it, print the table; then run the clerk's day through the
console's own services against the same sandbox and hold every request and answer to the
published documents (conformance/clerks_day.py), print that table. Exit 1 on any failed
assertion, kit that did not run, failed step of the day or deviation (2 when the kits, the
documents or node/npm are missing). `--day` runs the clerk's day alone (no node needed)."""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from conformance.clerks_day import report, run_day
from conformance.kits import chosen
from conformance.paths import WORK, docs_folder, kits_folder
from conformance.results import KitResult, table
from conformance.runner import run_kit
from conformance.target import Target
from sandbox.server import start_in_background
from sandbox.world import DEFAULT_SEED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    parser.add_argument("kits", nargs="*", help="TMF numbers to run (default: every kit)")
    parser.add_argument("--day", action="store_true",
                        help="only the clerk's day, validated against the documents")
    args = parser.parse_args(argv)
    docs = docs_folder()
    if not any(docs.glob("*-v4.0.0.swagger.json")):
        print(f"conformance: TM Forum's published v4 documents are not in {docs} (set "
              "TMF_DOCS to the folder of *.swagger.json files)", file=sys.stderr)
        return 2
    if args.day:
        return _with_sandbox(lambda target: 0 if _day(target, docs) else 1)
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
    day_passed = False

    def kits_then_day(target: Target) -> int:
        nonlocal day_passed
        for kit in kits:
            print(f"{kit.code}: running {kit.folder} against {target.url}/tmf-api/"
                  f"{kit.api}/v4/ ...", flush=True)
            if kit.prepare is not None:
                kit.prepare(target)
            results.append(run_kit(kit, source / kit.folder, target, WORK))
        day_passed = _day(target, docs)
        return 0

    _with_sandbox(kits_then_day)
    print()
    print(table(results))
    for result in results:
        if not result.ran:
            print(f"\n{result.code} did not run: {result.note}")
        for detail in result.details:
            print(f"\n{result.code} failed: {detail}")
    passed = sum(result.passed for result in results)
    print(f"\nconformance: {passed} of {len(results)} kits passed with every assertion green; "
          f"the clerk's day {'passed' if day_passed else 'FAILED'}")
    return 0 if passed == len(results) and day_passed else 1


def _with_sandbox(run: Callable[[Target], int]) -> int:
    """`run` against `salon sandbox` on a fresh world, on a free loopback port."""
    with tempfile.TemporaryDirectory(prefix="conformance-world-") as world:
        sandbox = start_in_background(Path(world) / "sandbox.sqlite3", DEFAULT_SEED,
                                      secrets.token_hex(16))
        try:
            return run(Target(sandbox.url, sandbox.token))
        finally:
            sandbox.stop()


def _day(target: Target, docs: Path) -> bool:
    """The clerk's day against the kits' sandbox; its table printed; True when it passed."""
    print(f"clerk's day: the console's services against {target.url} ...", flush=True)
    result = run_day(target.url, target.token, docs)
    print()
    print(report(result))
    return not result.failed


if __name__ == "__main__":
    sys.exit(main())
