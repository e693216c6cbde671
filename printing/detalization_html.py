"""The detalization as one self-contained web page: inline CSS, an inline SVG chart, no
scripts, no outside resources. Every text is escaped.

Reading back (printing/detalization_read.py): the summary is `<table class="summary">` with
`<th>label</th><td>value</td>` rows, the records `<table class="rows">` with five `<td>` per
row; the id and hash are in `<meta name="document-id">` and `<meta name="sha256">`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from models.detalization import (
    ROW_TITLES,
    Detalization,
    DetalizationRow,
    qr_payload,
    row_texts,
    summary_lines,
)
from models.domain import UsageKind
from printing.detalization import (
    CHART_CATEGORIES,
    PROGRESS_EVERY,
    ROWS_TITLE,
    SUMMARY_TITLE,
    TARIFF_TITLES,
    TARIFFS_NOTE,
    TARIFFS_TITLE,
    TITLE,
    VERIFY_NOTE,
    Progress,
    category_lines,
    extra_lines,
    header_lines,
    notes,
    tariff_line,
)

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;margin:24px;color:#111}
h1{font-size:22px;margin:0 0 8px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid
#b0b7c3}p.head{margin:2px 0}.note{color:#6b7280}table{border-collapse:collapse}
table.summary th{text-align:left;font-weight:normal;padding:1px 24px 1px 0}
table.summary td{text-align:right;padding:1px 0}table.summary tr.b th,table.summary tr.b td{
font-weight:bold}table.rows{width:100%;font-size:12px}table.rows th{text-align:left;
background:#dde4ee;position:sticky;top:0}table.rows td,table.rows th{padding:1px 8px}
table.rows tr:nth-child(even){background:#eef2f7}table.rows td:last-child,table.rows
th:last-child{text-align:right}td.cov{color:#6b7280}td.cr{color:#15803d}
table.tariffs td,table.tariffs th{padding:2px 10px}footer{margin-top:20px;color:#6b7280;
font-size:11px}"""
BOLD = {"Входящий остаток", "Итого списано", "Пополнения", "Исходящий остаток"}


def write(report: Detalization, path: Path, progress: Progress | None) -> None:
    total = len(report.rows)
    payload = escape(qr_payload(report.document_id, report.sha256))
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
                  f"<title>{escape(TITLE)} {escape(report.document_id)}</title>"
                  f"<meta name=\"document-id\" content=\"{escape(report.document_id)}\">"
                  f"<meta name=\"sha256\" content=\"{report.sha256}\">"
                  f"<meta name=\"keywords\" content=\"{payload}\">"
                  f"<style>{CSS}</style></head><body>\n")
        out.write(f"<h1>{escape(TITLE)}</h1>\n")
        for line in header_lines(report):
            out.write(f"<p class=\"head\">{escape(line)}</p>\n")
        for line in notes(report):
            out.write(f"<p class=\"head note\">{escape(line)}</p>\n")
        out.write(f"<h2>{escape(SUMMARY_TITLE)}</h2>\n<table class=\"summary\">\n")
        for label, value in [*summary_lines(report), *extra_lines(report)[2:]]:
            mark = " class=\"b\"" if label in BOLD else ""
            out.write(f"<tr{mark}><th>{escape(label)}</th><td>{escape(value)}</td></tr>\n")
        out.write("</table>\n")
        out.write(f"<h2>{escape(CHART_CATEGORIES)}, ₽</h2>\n{_chart(report)}\n")
        if report.tariffs:
            out.write(f"<h2>{escape(TARIFFS_TITLE)}</h2>\n<table class=\"tariffs\"><tr>")
            out.write("".join(f"<th>{escape(t)}</th>" for t in TARIFF_TITLES) + "</tr>\n")
            for estimate in report.tariffs:
                cells = tariff_line(estimate, report.actual_total)
                out.write("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>\n")
            out.write(f"</table>\n<p class=\"note\">{escape(TARIFFS_NOTE)}</p>\n")
        if report.options.itemized:
            out.write(f"<h2>{escape(ROWS_TITLE)}</h2>\n<table class=\"rows\"><thead><tr>")
            out.write("".join(f"<th>{escape(t)}</th>" for t in ROW_TITLES))
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
        out.write(f"<footer>{escape(report.document_id)} · SHA-256 {report.sha256} · "
                  f"{escape(VERIFY_NOTE)}</footer>\n</body></html>\n")
    if progress is not None:
        progress(total, total)


def _row(row: DetalizationRow) -> str:
    when, kind, counterpart, quantity, amount = row_texts(row)
    css = " class=\"cov\"" if row.covered is not None else (
        " class=\"cr\"" if row.kind is UsageKind.TOPUP else "")
    return (f"<tr><td>{when}</td><td>{kind}</td><td>{escape(counterpart)}</td>"
            f"<td>{quantity}</td><td{css}>{amount}</td></tr>\n")


def _chart(report: Detalization) -> str:
    """Horizontal bars by category as inline SVG (no scripts, no fonts to fetch)."""
    lines = category_lines(report)
    top = max([float(v) for _label, v in lines] + [1.0])
    bars = []
    for i, (label, value) in enumerate(lines):
        width = 360 * float(value) / top
        y = 6 + i * 24
        bars.append(f"<text x=\"0\" y=\"{y + 13}\" font-size=\"12\">{escape(label)}</text>"
                    f"<rect x=\"190\" y=\"{y}\" width=\"{width:.1f}\" height=\"16\" "
                    f"fill=\"#3b6ea5\"/><text x=\"{196 + width:.1f}\" y=\"{y + 13}\" "
                    f"font-size=\"12\">{escape(format(value, ',.2f').replace(',', ' '))}</text>")
    height = 12 + 24 * len(lines)
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"680\" height=\"{height}\" "
            f"role=\"img\" aria-label=\"{escape(CHART_CATEGORIES)}\">{''.join(bars)}</svg>")
