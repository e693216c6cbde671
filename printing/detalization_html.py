"""The detalization as one self-contained web page: inline CSS, inline SVG charts, no scripts,
no outside resources. Every text is escaped.

The id and hash are in `<meta name="document-id">`, `<meta name="sha256">` and `<meta
name="keywords" content="SALON-DOC:…">`, and in the footer. The hash covers every byte of the
page — text, markup, styles and the charts (printing/digest.py) — so an element or a script
added, removed or changed makes the page "altered".
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from models.detalization import Detalization, DetalizationRow, row_texts
from models.documents import PAYLOAD_PREFIX
from models.domain import UsageKind
from printing.detalization import (
    BOLD_LABELS,
    HASH_LABEL,
    NO_ROWS,
    PROGRESS_EVERY,
    DocumentText,
    Pairs,
    Progress,
)
from printing.digest import HashedText

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;margin:24px;color:#111}
h1{font-size:22px;margin:0 0 8px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid
#b0b7c3}p.head{margin:2px 0}.note{color:#6b7280}p.alert{margin:6px 0;padding:4px 8px;
background:#fde2e2;color:#8a1111;font-weight:bold}table{border-collapse:collapse}
table.pairs th{text-align:left;font-weight:normal;padding:1px 24px 1px 0}
table.pairs td{text-align:right;padding:1px 0}table.pairs tr.b th,table.pairs tr.b td{
font-weight:bold}table.rows{width:100%;font-size:12px}table.rows th{text-align:left;
background:#dde4ee;position:sticky;top:0}table.rows td,table.rows th{padding:1px 8px}
table.rows tr:nth-child(even){background:#eef2f7}table.rows td:last-child,table.rows
th:last-child{text-align:right}td.cov{color:#6b7280}td.cr{color:#15803d}
table.tariffs td,table.tariffs th{padding:2px 10px}footer{margin-top:20px;color:#6b7280;
font-size:11px}"""


def write(report: Detalization, text: DocumentText, path: Path,
          progress: Progress | None) -> str:
    total = report.shown_count
    with HashedText(path, "html") as out:
        out.write("<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
                  f"<title>{escape(text.title)} {escape(text.document_id)}</title>"
                  f"<meta name=\"document-id\" content=\"{escape(text.document_id)}\">"
                  "<meta name=\"sha256\" content=\"")
        out.write_hash()
        out.write(f"\"><meta name=\"keywords\" content=\"{PAYLOAD_PREFIX}:"
                  f"{escape(text.document_id)}:")
        out.write_hash()
        out.write(f"\"><style>{CSS}</style></head><body>\n<h1>{escape(text.title)}</h1>\n")
        for line in text.head:
            out.write(f"<p class=\"head\">{escape(line)}</p>\n")
        for line in text.alerts:
            out.write(f"<p class=\"alert\">{escape(line)}</p>\n")
        for line in text.notes:
            out.write(f"<p class=\"head note\">{escape(line)}</p>\n")
        _pairs(out, text.summary)
        _pairs(out, text.extra)
        out.write(f"<h2>{escape(text.chart.title)}</h2>\n{_bars(text.chart)}\n")
        out.write(f"<h2>{escape(text.series.title)}</h2>\n{_columns(text.series)}\n")
        if text.tariffs is not None:
            table = text.tariffs
            out.write(f"<h2>{escape(table.title)}</h2>\n<table class=\"tariffs\"><tr>")
            out.write("".join(f"<th>{escape(t)}</th>" for t in table.columns) + "</tr>\n")
            for cells in table.rows:
                out.write("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>\n")
            out.write("</table>\n")
            for note in table.notes:
                out.write(f"<p class=\"note\">{escape(note)}</p>\n")
        if text.itemized:
            out.write(f"<h2>{escape(text.rows_title)}</h2>\n<table class=\"rows\"><thead><tr>")
            out.write("".join(f"<th>{escape(t)}</th>" for t in text.row_titles))
            out.write("</tr></thead><tbody>\n")
            buffer: list[str] = []
            for done, row in enumerate(report.rows, 1):
                buffer.append(_row(row))
                if done % PROGRESS_EVERY == 0:
                    out.write("".join(buffer))
                    buffer.clear()
                    if progress is not None:
                        progress(done, total)
            out.write("".join(buffer))
            out.write("</tbody></table>\n")
            if not report.shown_count:
                out.write(f"<p>{escape(NO_ROWS)}</p>\n")
        out.write(f"<p>{escape(text.closing)}</p>\n<footer>{escape(text.footer)} · "
                  f"{HASH_LABEL} ")
        out.write_hash()
        out.write(f" · {escape(text.verify)}</footer>\n</body></html>\n")
    if progress is not None:
        progress(total, total)
    return out.sha256


def _pairs(out: HashedText, pairs: Pairs) -> None:
    out.write(f"<h2>{escape(pairs.title)}</h2>\n<table class=\"pairs\">\n")
    for label, value in pairs.lines:
        mark = " class=\"b\"" if label in BOLD_LABELS else ""
        out.write(f"<tr{mark}><th>{escape(label)}</th><td>{escape(value)}</td></tr>\n")
    out.write("</table>\n")


def _row(row: DetalizationRow) -> str:
    when, kind, counterpart, quantity, amount = row_texts(row)
    css = " class=\"cov\"" if row.covered is not None else (
        " class=\"cr\"" if row.kind is UsageKind.TOPUP else "")
    return (f"<tr><td>{when}</td><td>{kind}</td><td>{escape(counterpart)}</td>"
            f"<td>{quantity}</td><td{css}>{amount}</td></tr>\n")


def _amount(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(",", "."))


def _bars(pairs: Pairs) -> str:
    """Horizontal bars by category as inline SVG, each with its label and amount."""
    top = max([_amount(v) for _label, v in pairs.lines] + [1.0])
    bars = []
    for i, (label, value) in enumerate(pairs.lines):
        width = 360 * max(_amount(value), 0.0) / top
        y = 6 + i * 24
        bars.append(f"<text x=\"0\" y=\"{y + 13}\" font-size=\"12\">{escape(label)}</text>"
                    f"<rect x=\"190\" y=\"{y}\" width=\"{width:.1f}\" height=\"16\" "
                    f"fill=\"#3b6ea5\"/><text x=\"{196 + width:.1f}\" y=\"{y + 13}\" "
                    f"font-size=\"12\">{escape(value)}</text>")
    height = 12 + 24 * len(pairs.lines)
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"680\" height=\"{height}\" "
            f"role=\"img\" aria-label=\"{escape(pairs.title)}\">{''.join(bars)}</svg>")


def _columns(pairs: Pairs) -> str:
    """Charges per day (or month) as inline SVG columns; each column's <title> gives its
    label and amount, and every few columns are labelled under the axis."""
    count = max(len(pairs.lines), 1)
    top = max([_amount(v) for _label, v in pairs.lines] + [1.0])
    step = 640 / count
    every = max(1, -(-count // 12))
    parts = [f"<line x1=\"30\" y1=\"150\" x2=\"{30 + 640}\" y2=\"150\" stroke=\"#b0b7c3\"/>"]
    for i, (label, value) in enumerate(pairs.lines):
        height = 140 * max(_amount(value), 0.0) / top
        x = 30 + i * step
        parts.append(f"<rect x=\"{x + 1:.1f}\" y=\"{150 - height:.1f}\" "
                     f"width=\"{max(step - 2, 1):.1f}\" height=\"{height:.1f}\" "
                     f"fill=\"#3b6ea5\"><title>{escape(label)}: {escape(value)} ₽</title></rect>")
        if i % every == 0:
            parts.append(f"<text x=\"{x + 1:.1f}\" y=\"166\" font-size=\"10\">"
                         f"{escape(label)}</text>")
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"700\" height=\"176\" "
            f"role=\"img\" aria-label=\"{escape(pairs.title)}\">{''.join(parts)}</svg>")
