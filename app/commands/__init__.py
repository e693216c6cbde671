"""The `salon` command's groups, one module each: `register(commands)` adds its parsers and
sets `handler`; a handler is `(args, wiring, out) -> None` and raises SalonError to fail."""
