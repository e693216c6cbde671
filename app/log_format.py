"""salon.log's one format: a record is one line, whatever text it carries.

Log messages carry text the console did not write: an operator's error body, a subscriber's
name, a file name or a value a clerk typed. Written verbatim, a name holding
"\\n2026-11-23 09:00:00,000 ERROR salon: …" forges a record of its own, and an ANSI escape
repaints the terminal of whoever reads the log with `less -R` or `tail`. So the message (with
its arguments already put in) has every control, format and separator character escaped, and
a real backslash doubled (the escaped form stays unambiguous). A traceback keeps its lines, for
the reader, but each continues its record under a "  | " margin and is escaped the same way:
no line of it can start like a record.
"""

from __future__ import annotations

import logging

from printing.text import visible

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONTINUED = "  | "


class OneLineFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        # A copy: another handler of the same record still gets it as it was.
        line = super().format(logging.makeLogRecord({
            **record.__dict__, "msg": visible(_message(record)), "args": None,
            "exc_info": None, "exc_text": None, "stack_info": None}))
        blocks = []
        if record.exc_info:
            blocks.append(self.formatException(record.exc_info))
        elif record.exc_text:
            blocks.append(record.exc_text)
        if record.stack_info:
            blocks.append(self.formatStack(record.stack_info))
        for block in blocks:
            line += "".join("\n" + CONTINUED + visible(part) for part in block.splitlines())
        return line


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a wrong format string: keep what there is rather than lose the record
        return f"{record.msg!r} % {record.args!r}"
