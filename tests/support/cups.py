"""A private CUPS server for the suite: Debian's real cupsd with its own configuration, spool,
logs and socket in a temp folder, and a cups-pdf queue whose PDFs land in that folder.

- cupsd runs as root (`cupsd -f -c … -s …`); it listens only on `<base>/cups.sock`, so a
  system cupsd on the standard socket and port is never disturbed. Clients are pointed at it
  explicitly (pycups `Connection(host=socket)`, `lpadmin -h socket`, CUPS_SERVER).
- The base folder is 0755: filters run as `lp` and must reach the spool.
- cups-pdf (printer-driver-cups-pdf) reads /etc/cups/cups-pdf.conf, or — for the device URI
  `cups-pdf:/<instance>` (no trailing slash: 3.0.1 appends `.conf` to the rest verbatim) —
  /etc/cups/cups-pdf-<instance>.conf. The harness writes its own instance file there (its
  `Out`, `Spool` and `Log` point into the base folder) and removes it afterwards; files left by
  a killed run are removed when their process is gone. With `Label 2` every PDF is named
  `…-job_<id>.pdf`, so a test finds the exact job it printed.
- A queue that fails for real: the `serial` backend on a port that does not exist exits
  "failed", and with printer-error-policy=abort-job CUPS aborts the job.

Missing packages or not being root fail the test with what to do (never a skip).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CONFIG_DIR = Path("/etc/cups")
INSTANCE_PREFIX = "salon-test-"
PDF_QUEUE = "SalonPDF"
FAILING_QUEUE = "SalonBroken"
PACKAGES = "cups printer-driver-cups-pdf"


class CupsUnavailable(RuntimeError):
    pass


def check_prerequisites() -> None:
    missing = [tool for tool in ("cupsd", "lpadmin", "cupsdisable", "cupsreject", "lpstat")
               if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists()]
    if missing or not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        raise CupsUnavailable(
            f"The printing tests need Debian's {PACKAGES} (missing: "
            f"{', '.join(missing) or 'the cups-pdf backend or its PPD'}); install them with "
            "`make test-deps` or apt-get install " + PACKAGES + ".")
    confined = _apparmor_confined()
    if confined:
        raise CupsUnavailable(
            f"AppArmor confines {confined} to the system's own folders (/etc/cups, "
            "/var/spool/cups, /var/spool/cups-pdf), so the suite's private cupsd cannot use "
            "its temp folder. Put those profiles in complain mode for the test run "
            "(apparmor-utils: aa-complain /usr/sbin/cupsd /usr/lib/cups/backend/cups-pdf), "
            "or run the suite in a container, as CI does.")
    if os.geteuid() != 0:
        raise CupsUnavailable(
            "The printing tests start a private cupsd, which must run as root (cups-pdf runs "
            "as root under it); run the suite as root, as `make test` on CI does.")


def _apparmor_confined() -> str:
    """The CUPS programs an enforcing AppArmor profile confines here, if any."""
    try:
        loaded = Path("/sys/kernel/security/apparmor/profiles").read_text()
    except OSError:  # no AppArmor (a container, another distribution): nothing confines them
        return ""
    confined = [line.split(" (")[0] for line in loaded.splitlines()
                if line.endswith("(enforce)") and line.split(" (")[0] in
                ("/usr/sbin/cupsd", "/usr/lib/cups/backend/cups-pdf")]
    return " and ".join(confined)


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def _remove_stale_instances() -> None:
    """Instance files of runs that were killed (their pid is in the name)."""
    for conf in CONFIG_DIR.glob(f"cups-pdf-{INSTANCE_PREFIX}*.conf"):
        match = re.match(rf"cups-pdf-{INSTANCE_PREFIX}(\d+)-", conf.name)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            conf.unlink(missing_ok=True)


class PrivateCups:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.socket = base / "cups.sock"
        self.out = base / "pdf-out"
        self.log = base / "log"
        self.instance = f"{INSTANCE_PREFIX}{os.getpid()}-{secrets.token_hex(3)}"
        self.instance_conf = CONFIG_DIR / f"cups-pdf-{self.instance}.conf"
        self._process: subprocess.Popen[bytes] | None = None

    # -- the server ----------------------------------------------------------------------

    def write_config(self) -> None:
        for folder in ("spool", "spool/tmp", "cache", "state", "log", "ppd", "pdf-out",
                       "cups-pdf-spool"):
            (self.base / folder).mkdir(parents=True, exist_ok=True)
        self.base.chmod(0o755)
        self.out.chmod(0o755)
        (self.base / "cups-files.conf").write_text(
            f"ServerRoot {self.base}\n"
            f"RequestRoot {self.base}/spool\n"
            f"TempDir {self.base}/spool/tmp\n"
            f"CacheDir {self.base}/cache\n"
            f"StateDir {self.base}/state\n"
            f"ErrorLog {self.log}/error_log\n"
            f"AccessLog {self.log}/access_log\n"
            f"PageLog {self.log}/page_log\n"
            "SystemGroup root\n"
            "Sandboxing Relaxed\n", encoding="utf-8")
        # Only the private socket; everyone on it may do everything (root's tests only).
        (self.base / "cupsd.conf").write_text(
            f"Listen {self.socket}\n"
            "LogLevel info\n"
            "Browsing No\n"
            "WebInterface No\n"
            "DefaultAuthType None\n"
            "JobRetryLimit 0\n"
            "PreserveJobHistory Yes\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            encoding="utf-8")
        self.instance_conf.write_text(
            f"Out {self.out}\n"
            f"AnonDirName {self.out}\n"
            f"Spool {self.base}/cups-pdf-spool\n"
            f"Log {self.log}\n"
            "Label 2\n"
            "AnonUMask 0022\n"
            "UserUMask 0022\n", encoding="utf-8")

    def start(self, timeout: float = 15.0) -> None:
        if self.running:
            return
        self.socket.unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [_tool("cupsd"), "-f", "-c", str(self.base / "cupsd.conf"),
             "-s", str(self.base / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = (self._process.stderr.read() if self._process.stderr else b"").decode()
                raise CupsUnavailable(f"cupsd did not start: {error.strip() or 'no output'}; "
                                      f"see {self.log / 'error_log'}")
            if self.socket.exists() and self.lpstat("-r").returncode == 0:
                return
            time.sleep(0.05)
        raise CupsUnavailable(f"cupsd did not answer on {self.socket} within {timeout} s")

    def stop(self) -> None:
        """Stop cupsd (the "no cupsd" failure, for real)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process is not None and process.stderr is not None:
            process.stderr.close()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        self.stop()
        self.instance_conf.unlink(missing_ok=True)

    # -- the command-line tools, pointed at this server ------------------------------------

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([_tool(tool), "-h", str(self.socket), *args],
                              capture_output=True, text=True, timeout=30)

    def lpstat(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("lpstat", *args)

    def admin(self, tool: str, *args: str) -> None:
        done = self.run(tool, *args)
        if done.returncode != 0:
            raise CupsUnavailable(f"{tool} {' '.join(args)}: {done.stderr.strip()}")

    def add_pdf_queue(self, name: str = PDF_QUEUE) -> str:
        self.admin("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{self.instance}",
                   "-P", str(CUPS_PDF_PPD), "-D", "Test PDF printer", "-L", "Counter 1")
        return name

    def add_failing_queue(self, name: str = FAILING_QUEUE) -> str:
        """A queue whose backend fails at once, and whose jobs are then aborted."""
        self.admin("lpadmin", "-p", name, "-E", "-v", "serial:/dev/salon-no-such-port",
                   "-P", str(CUPS_PDF_PPD), "-o", "printer-error-policy=abort-job")
        return name

    def disable(self, name: str, reason: str = "") -> None:
        self.admin("cupsdisable", *(["-r", reason] if reason else []), name)

    def enable(self, name: str) -> None:
        self.admin("cupsenable", name)

    def reject(self, name: str, reason: str = "") -> None:
        self.admin("cupsreject", *(["-r", reason] if reason else []), name)

    def accept(self, name: str) -> None:
        self.admin("cupsaccept", name)

    def cancel_all(self) -> None:
        self.run("cancel", "-a")

    # -- what came out ---------------------------------------------------------------------

    def printed(self, job_id: int, timeout: float = 30.0) -> Path:
        """The PDF cups-pdf wrote for CUPS job `job_id` (complete: ghostscript has exited)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.out.glob(f"*-job_{job_id}.pdf"))
            if found and self._job_completed(job_id):
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"cups-pdf wrote nothing for job {job_id} in {timeout} s; "
                             f"files: {[p.name for p in self.out.iterdir()]}; "
                             f"see {self.log}")

    def _job_completed(self, job_id: int) -> bool:
        done = self.lpstat("-W", "completed", "-o")
        return any(line.split()[0].endswith(f"-{job_id}") for line in done.stdout.splitlines()
                   if line.strip())


@contextmanager
def running_cups() -> Iterator[PrivateCups]:
    """A started private cupsd with the cups-pdf queue PDF_QUEUE and FAILING_QUEUE."""
    check_prerequisites()
    _remove_stale_instances()
    base = Path(tempfile.mkdtemp(prefix="salon-cups-"))
    server = PrivateCups(base)
    try:
        server.write_config()
        server.start()
        server.add_pdf_queue()
        server.add_failing_queue()
        yield server
    finally:
        server.close()
        shutil.rmtree(base, ignore_errors=True)
