"""salon.ini → a frozen, validated Settings object. No tkinter, no I/O beyond reading the file.

Where the file comes from: $SALON_CONFIG (must exist), else ./salon.ini, else the user config
folder's salon.ini, else the built-in defaults (the same values as the documented salon.ini).
Every error names the file, the section and the key.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import ConfigError
from app.i18n import LANGUAGES

APP_NAME = "salon-console"
EMBEDDED = "embedded"

DEFAULTS: dict[str, dict[str, str]] = {
    "salon": {
        "id": "MSK-TVERSKAYA-12",
        "name": "Салон «Тверская, 12»",
        "region": "RU-MOW",
        "timezone": "Europe/Moscow",
        "counter": "1",
        "language": "ru",
        "operator_name": "ПАО «Мобильная связь»",
    },
    "paths": {"data_dir": ""},
    "database": {"url": "sqlite:///{data_dir}/salon.db"},
    "operator": {
        "url": EMBEDDED,
        "connect_timeout": "3",
        "read_timeout": "10",
        "read_retries": "3",
        "deadline": "30",
        "sandbox_seed": "2026",
        # How the console proves itself to the operator's APIs: `token` (a bearer token from
        # the keyring) or `oauth2` (client credentials: token_url, client_id, the secret in
        # the keyring). app/operator_api/auth.py.
        "auth": "token",
        "token_url": "",
        "client_id": "",
        "scope": "",
        "client_auth": "basic",
        # Plus `api.<name> = URL` per API (app/operator_api/apis.py): not listed here, since
        # the names come from the table of APIs.
    },
    "ui": {"idle_lock_minutes": "10"},
    "retention": {"days": "3"},
    "printing": {"printer": "", "server": ""},
    "email": {"host": "", "port": "587", "username": "", "from": "", "starttls": "yes",
              "timeout": "10"},
    # R10 (app/services/identity.py): what needs this visit's identity check, and how long a
    # check holds at most.
    "identity": {"require_for": "balances, services, usage, archive, address, code, changes, "
                                "detalization, delivery, pickup",
                 "visit_minutes": "15"},
    # R11 (app/services/pickup.py): days a paper detalization ordered online waits for its
    # subscriber at this salon (from when it was ordered); then it is listed for destruction.
    "pickup": {"keep_days": "30"},
}
_SECRET_WORDS = ("token", "password", "secret", "passwd")
# Keys that contain one of those words and hold no secret: where the token comes from.
_NOT_SECRETS = {("operator", "token_url")}
AUTH_KINDS = ("token", "oauth2")
CLIENT_AUTH_KINDS = ("basic", "body")  # RFC 6749 §2.3.1: HTTP Basic, or in the form body
API_PREFIX = "api."  # [operator] api.<name> = URL: one API's own base URL


@dataclass(frozen=True)
class SalonSettings:
    id: str
    name: str
    region: str
    timezone: str
    counter: str
    language: str
    operator_name: str = DEFAULTS["salon"]["operator_name"]  # printed on documents


@dataclass(frozen=True)
class OperatorSettings:
    url: str
    connect_timeout: float
    read_timeout: float
    read_retries: int
    sandbox_seed: int
    # Seconds one call to the operator may take in all: connect, the whole answer, every retry
    # (a server that answers a byte at a time never lets a read time out).
    deadline: float = 30.0
    # `token` (the keyring's bearer token) or `oauth2` (client credentials, RFC 6749 §4.4:
    # `token_url`, `client_id`, optional `scope`; the client secret in the keyring).
    auth: str = "token"
    token_url: str = ""
    client_id: str = ""
    scope: str = ""
    client_auth: str = "basic"  # how the client id and secret go to token_url
    # (API name, its own base URL or path) for the APIs salon.ini moves off their standard
    # path under `url` (`[operator] api.productInventory = https://…`), in the table's order.
    api_urls: tuple[tuple[str, str], ...] = ()

    @property
    def embedded(self) -> bool:
        return self.url == EMBEDDED

    @property
    def apis(self) -> dict[str, str]:
        """The per-API base URLs, for OperatorClient(apis=…)."""
        return dict(self.api_urls)


@dataclass(frozen=True)
class PrintingSettings:
    # The CUPS queue documents go to when the clerk has not chosen one at this counter;
    # "" = the print server's default queue.
    printer: str = ""
    # The print server: host, host:port or a socket path; "" = the system's (CUPS_SERVER,
    # /etc/cups/client.conf, the local cupsd).
    server: str = ""


@dataclass(frozen=True)
class EmailSettings:
    host: str = ""  # the salon's SMTP relay; "" = e-mail is not set up
    port: int = 587
    username: str = ""  # "" = the relay takes mail without signing in
    from_address: str = ""
    starttls: bool = True
    timeout: float = 10.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)


@dataclass(frozen=True)
class IdentitySettings:
    # R10: the needs (models/identity.py Need values) that wait for the identity check.
    require_for: frozenset[str] = frozenset(
        word.strip() for word in DEFAULTS["identity"]["require_for"].split(","))
    visit_minutes: int = 15  # a check holds at most this long (another subscriber ends it)


@dataclass(frozen=True)
class PickupSettings:
    # R11: days an order for pick-up waits (from its orderDate); then it is expired, listed
    # for destruction.
    keep_days: int = 30


@dataclass(frozen=True)
class Settings:
    source: str  # the file it came from, or "built-in defaults"
    salon: SalonSettings
    data_dir: Path
    database_url: str
    operator: OperatorSettings
    idle_lock_minutes: int
    # R9: days that itemized usage records and local copies of reports are kept after fetching.
    retention_days: int = 3
    printing: PrintingSettings = PrintingSettings()
    email: EmailSettings = EmailSettings()
    identity: IdentitySettings = IdentitySettings()
    pickup: PickupSettings = PickupSettings()


def language_from_environment(settings: Settings,
                              environ: Mapping[str, str] | None = None) -> Settings:
    """`SALON_LANGUAGE` (ru / en) overrides salon.ini's language for one run, for the window
    and the commands alike: applied once, here, so that nothing later reads salon.ini's
    value past it."""
    env = os.environ if environ is None else environ
    value = env.get("SALON_LANGUAGE", "").strip()
    if not value:
        return settings
    if value not in LANGUAGES:
        raise ConfigError(f"SALON_LANGUAGE={value!r}: expected one of: {', '.join(LANGUAGES)}")
    return replace(settings, salon=replace(settings.salon, language=value))


def find_config_file(environ: dict[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    if env.get("SALON_CONFIG"):
        path = Path(env["SALON_CONFIG"]).expanduser()
        if not path.is_file():
            raise ConfigError(f"SALON_CONFIG points at {path}, which is not a readable file.")
        return path
    local = Path("salon.ini")
    if local.is_file():
        return local.resolve()
    from platformdirs import user_config_path

    user = user_config_path(APP_NAME) / "salon.ini"
    return user if user.is_file() else None


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    path = path if path is not None else find_config_file(environ)
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",))
    parser.read_dict(DEFAULTS)
    source = "built-in defaults"
    if path is not None:
        source = str(path)
        try:
            with path.open(encoding="utf-8") as handle:
                parser.read_file(handle)
        except (OSError, UnicodeDecodeError, configparser.Error) as error:
            raise ConfigError(f"{source}: cannot be read: {error}") from error
    return _build(parser, source)


def _build(parser: configparser.ConfigParser, source: str) -> Settings:
    _reject_unknown_and_secrets(parser, source)
    field = _FieldReader(parser, source)
    data_dir = field("paths", "data_dir", _path)
    database_url = field("database", "url", lambda v: _database_url(v, data_dir))
    return Settings(
        source=source,
        salon=SalonSettings(
            id=field("salon", "id", _nonempty),
            name=field("salon", "name", _nonempty),
            region=field("salon", "region", _region),
            timezone=field("salon", "timezone", _timezone),
            counter=field("salon", "counter", _nonempty),
            language=field("salon", "language", _language),
            operator_name=field("salon", "operator_name", _nonempty),
        ),
        data_dir=data_dir,
        database_url=database_url,
        operator=OperatorSettings(
            url=field("operator", "url", _operator_url),
            connect_timeout=field("operator", "connect_timeout", _positive_float),
            read_timeout=field("operator", "read_timeout", _positive_float),
            read_retries=field("operator", "read_retries", _count(0, 10)),
            sandbox_seed=field("operator", "sandbox_seed", _count(0, 2**31)),
            deadline=field("operator", "deadline", _positive_float),
            **_operator_access(parser, field),
        ),
        idle_lock_minutes=field("ui", "idle_lock_minutes", _count(0, 24 * 60)),
        retention_days=field("retention", "days", _count(0, 365)),
        printing=PrintingSettings(
            printer=field("printing", "printer", _printer_name),
            server=field("printing", "server", _print_server),
        ),
        email=_email_settings(field),
        identity=IdentitySettings(
            require_for=field("identity", "require_for", _needs),
            visit_minutes=field("identity", "visit_minutes", _count(1, 8 * 60)),
        ),
        pickup=PickupSettings(keep_days=field("pickup", "keep_days", _count(1, 365))),
    )


def _email_settings(field: _FieldReader) -> EmailSettings:
    host = field("email", "host", _host)
    from_address = field("email", "from", _optional_address)
    if host and not from_address:
        raise ConfigError(f"{field.source}: [email] from: must be set when [email] host is "
                          "(the address the salon's letters come from).")
    return EmailSettings(
        host=host,
        port=field("email", "port", _count(1, 65535)),
        username=field("email", "username", _no_spaces),
        from_address=from_address,
        starttls=field("email", "starttls", _yes_no),
        timeout=field("email", "timeout", _positive_float),
    )


def _operator_access(parser: configparser.ConfigParser, field: _FieldReader) -> dict[str, Any]:
    """How the console reaches the operator beyond `url`: the auth and each API's own base
    URL. Settings that cannot work together are refused here, at start, naming the key."""
    source = field.source
    url = parser.get("operator", "url").strip()
    auth = field("operator", "auth", _one_of(AUTH_KINDS))
    oauth = {
        "token_url": field("operator", "token_url", _optional_url),
        "client_id": field("operator", "client_id", _client_id),
        "scope": field("operator", "scope", _scope),
        "client_auth": field("operator", "client_auth", _one_of(CLIENT_AUTH_KINDS)),
    }
    given = [key for key in ("token_url", "client_id", "scope")
             if parser.get("operator", key).strip()]
    if auth == "oauth2":
        if url == EMBEDDED:
            raise ConfigError(f"{source}: [operator] auth = oauth2: the embedded sandbox has a "
                              "token of its own; set url to the operator's API root first.")
        for key in ("token_url", "client_id"):
            if not oauth[key]:
                raise ConfigError(f"{source}: [operator] {key}: must be set when auth = oauth2 "
                                  "(see the README's integrator's guide).")
    elif given:
        raise ConfigError(f"{source}: [operator] {given[0]}: is used only with auth = oauth2; "
                          "set auth = oauth2 or remove it.")
    api_urls = _api_urls(parser, source, url)
    return {"auth": auth, **oauth, "api_urls": api_urls}


def _api_urls(parser: configparser.ConfigParser, source: str,
              url: str) -> tuple[tuple[str, str], ...]:
    """`[operator] api.<name> = URL or /path`, in the table's order; the name matched without
    regard to case (configparser lowers keys), the value held to the same rules as `url`."""
    from app.operator_api.apis import APIS

    by_key = {API_PREFIX + api.name.lower(): api.name for api in APIS}
    found: dict[str, str] = {}
    for key in parser["operator"]:
        if not key.startswith(API_PREFIX):
            continue
        if key not in by_key:
            raise ConfigError(
                f"{source}: [operator] {key}: there is no operator API "
                f"{key[len(API_PREFIX):]!r}; the console uses "
                f"{', '.join(api.name for api in APIS)}.")
        raw = parser.get("operator", key).strip()
        if url == EMBEDDED:
            raise ConfigError(f"{source}: [operator] {key}: the embedded sandbox serves every "
                              "API itself; per-API URLs need url set to the operator's root.")
        try:
            found[by_key[key]] = _api_base(raw)
        except ValueError as error:
            raise ConfigError(f"{source}: [operator] {key} = {raw!r}: {error}") from None
    return tuple((api.name, found[api.name]) for api in APIS if api.name in found)


def _reject_unknown_and_secrets(parser: configparser.ConfigParser, source: str) -> None:
    for section in parser.sections():
        if section not in DEFAULTS:
            raise ConfigError(f"{source}: unknown section [{section}].")
        for key in parser[section]:
            if (any(word in key for word in _SECRET_WORDS)
                    and (section, key) not in _NOT_SECRETS):
                raise ConfigError(
                    f"{source}: [{section}] {key}: secrets do not belong in salon.ini; "
                    "store them in the keyring with `salon credentials set"
                    + (" --client-secret" if section == "operator" else "") + "`."
                )
            if section == "operator" and key.startswith(API_PREFIX):
                continue  # checked against the table of APIs (_api_urls)
            if key not in DEFAULTS[section]:
                raise ConfigError(f"{source}: [{section}] {key}: unknown setting.")


T = TypeVar("T")


class _FieldReader:
    def __init__(self, parser: configparser.ConfigParser, source: str) -> None:
        self._parser, self._source = parser, source

    @property
    def source(self) -> str:
        return self._source

    def __call__(self, section: str, key: str, convert: Callable[[str], T]) -> T:
        raw = self._parser.get(section, key).strip()
        try:
            return convert(raw)
        except ValueError as error:
            raise ConfigError(f"{self._source}: [{section}] {key} = {raw!r}: {error}") from None


def _needs(value: str) -> frozenset[str]:
    """`require_for`: needs separated by commas, `all`, or `none` (R10 relaxed entirely: a
    salon's own decision, at its risk)."""
    from models.identity import ALL_NEEDS

    known = [need.value for need in ALL_NEEDS]
    words = [word.strip().lower() for word in value.split(",") if word.strip()]
    if words == ["all"]:
        return frozenset(known)
    if words == ["none"]:
        return frozenset()
    unknown = [word for word in words if word not in known]
    if unknown or not words:
        raise ValueError(f"expected all, none, or some of: {', '.join(known)}")
    return frozenset(words)


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _region(value: str) -> str:
    if not re.fullmatch(r"RU-[A-Z]{2,3}", value):
        raise ValueError("expected an ISO 3166-2 region code such as RU-MOW")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(_nonempty(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected an IANA time zone such as Europe/Moscow") from None
    return value


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"expected one of: {', '.join(LANGUAGES)}")
    return value


def _path(value: str) -> Path:
    if not value:
        from platformdirs import user_data_path

        return user_data_path(APP_NAME)
    return Path(value).expanduser()


def _database_url(value: str, data_dir: Path) -> str:
    url = _nonempty(value).replace("{data_dir}", str(data_dir))
    scheme = urlparse(url).scheme
    if scheme not in {"sqlite", "postgresql", "postgres"}:
        raise ValueError("expected sqlite:///path or postgresql://user@host/db")
    if "@" in url and ":" in urlparse(url).netloc.split("@")[0]:
        raise ValueError("no password in the URL; put it in ~/.pgpass")
    return url


def _operator_url(value: str) -> str:
    if value == EMBEDDED:
        return value
    try:
        return _web_url(value)
    except ValueError:
        raise ValueError("expected 'embedded' or an https:// URL (http:// only on loopback)"
                         ) from None


def _web_url(value: str) -> str:
    """An https:// URL (http:// only on loopback), without credentials, a query or a
    fragment; returned without a trailing slash. ValueError says what is wrong."""
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ValueError("expected an https:// URL (http:// only on loopback)") from None
    loopback = parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    if not (parsed.hostname and (parsed.scheme == "https"
                                 or (parsed.scheme == "http" and loopback))):
        raise ValueError("expected an https:// URL (http:// only on loopback)")
    if parsed.username or parsed.password:
        raise ValueError("no credentials in the URL; use `salon credentials set`")
    if parsed.query or parsed.fragment or any(c.isspace() for c in value):
        raise ValueError("expected a URL without spaces, a query (?…) or a fragment (#…)")
    return value.rstrip("/")


def _optional_url(value: str) -> str:
    return _web_url(value) if value else ""


def _api_base(value: str) -> str:
    """One API's base: an absolute URL, or a path under [operator] url (`/tmf/inventory/v4`)."""
    if value.startswith("/") and not value.startswith("//"):
        if any(c.isspace() for c in value) or "?" in value or "#" in value:
            raise ValueError("expected a path without spaces, a query or a fragment")
        return value.rstrip("/") or "/"
    if not value:
        raise ValueError("must not be empty: remove the line to use the standard path")
    return _web_url(value)


def _client_id(value: str) -> str:
    # RFC 6749 appendix A.1: client_id is visible ASCII (VSCHAR); no spaces.
    if value and not re.fullmatch(r"[\x21-\x7e]+", value):
        raise ValueError("expected the client id the operator issued: printable ASCII, "
                         "no spaces")
    return value


def _scope(value: str) -> str:
    # RFC 6749 §3.3: space-separated tokens of %x21 / %x23-5B / %x5D-7E.
    if value and not re.fullmatch(r"[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*",
                                  value):
        raise ValueError("expected scope names separated by single spaces (RFC 6749 §3.3)")
    return value


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def convert(value: str) -> str:
        if value not in choices:
            raise ValueError(f"expected one of: {', '.join(choices)}")
        return value

    return convert


def _printer_name(value: str) -> str:
    # CUPS queue names: printable, no spaces, slashes or '#' (lpadmin's rule).
    if value and not re.fullmatch(r"[^\s/#]{1,127}", value):
        raise ValueError("a CUPS queue name has no spaces, '/' or '#'")
    return value


def _print_server(value: str) -> str:
    if value and not (value.startswith("/") or re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?",
                                                             value)):
        raise ValueError("expected a host, host:port or the path of cupsd's socket")
    return value


def _host(value: str) -> str:
    if value and not re.fullmatch(r"[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]", value):
        raise ValueError("expected a host name or address, without a port (see port)")
    return value


def _optional_address(value: str) -> str:
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError("expected an e-mail address such as salon@example.ru")
    return value


def _no_spaces(value: str) -> str:
    if any(c.isspace() for c in value):
        raise ValueError("must not contain spaces")
    return value


def _yes_no(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"yes", "true", "on", "1"}:
        return True
    if lowered in {"no", "false", "off", "0"}:
        return False
    raise ValueError("expected yes or no")


def _positive_float(value: str) -> float:
    number = float(value)
    if not 0 < number <= 600:
        raise ValueError("expected a number of seconds between 0 and 600")
    return number


def _count(low: int, high: int) -> Callable[[str], int]:
    def convert(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return number

    return convert
