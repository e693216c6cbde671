"""The heavy subscriber's month (≥100,000 rows) to PDF against a hand-written ReportLab loop,
side by side in one run (DESIGN §9 and the issue: ≤ 1.5×, peak memory < 300 MB), and to XLSX
(seconds; memory constant in the number of rows).

The reference loop is what one would write by hand: canvas text objects, `setTextOrigin` +
`textOut` for every cell, DejaVu Sans 7.5 pt, 80 rows a page, `rl_accel` installed. It is handed
the five cell texts of every row ready-made; the detalization's side starts from the report
model (it formats the cells itself) and writes the whole document: summary page, charts, QR
code, page header and footer, bands, right-aligned amounts. Then the whole pipeline from the
stored records (build + hash + tariff comparison + PDF) is timed against the same loop.
The floor of DESIGN §9 is benchmarks/raw_pdf.py: the same rows written straight into page
content streams by hand (same font and size, no PDF library); the detalization PDF must be no
slower than it. Both start from the same report: the floor is handed its rows and makes their
cell texts as it reads them (`row_texts`, the formatting every format shares), because a writer
of these pages from these records has that to do, once; the detalization's writer does it too,
inside its time. The floor handed the texts ready-made is printed beside it, for reference.
Peak memory is the maxrss of a fresh process that reads the month from the store, builds the
report and writes the PDF.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.heavy import END, MSISDN, PERIOD, START, ZONE, heavy_month
from benchmarks.raw_pdf import write_rows
from benchmarks.report import ratio_line, reference_line

REPEAT = 5  # the median of five: one run of a shared machine's noise does not decide


def reference_loop(rows: Sequence[tuple[str, ...]], path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from printing.fonts import REGULAR, register_cyrillic_fonts

    register_cyrillic_fonts()
    canvas = Canvas(str(path), pagesize=A4, pageCompression=1)
    xs = (28.0, 114.0, 174.0, 394.0, 520.0)
    for first in range(0, len(rows), 80):
        text = canvas.beginText()
        text.setFont(REGULAR, 7.5)
        y = 800.0
        for row in rows[first:first + 80]:
            for x, cell in zip(xs, row, strict=True):
                text.setTextOrigin(x, y)
                text.textOut(cell)
            y -= 9.4
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()


def _fill_store(folder: Path) -> tuple[int, int]:
    """The heavy month into a fresh store; returns (opening, closing) main balance, kopecks."""
    from models.db import open_store
    from models.usage import UsageStore

    records, opening, closing, _fetched = heavy_month()
    db = open_store(f"sqlite:///{folder}/salon.db")
    UsageStore().add(MSISDN, records)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return int(opening.main.amount.scaleb(2)), int(closing.main.amount.scaleb(2))


def _maker(folder: Path, opening_kop: int, closing_kop: int):
    """What the service does after the sync: stored records → report (hash, comparison)."""
    from decimal import Decimal

    from app.services.detalization_build import Header, build
    from app.services.usage_sync import day_spans
    from models.db import open_store
    from models.detalization import Options
    from models.domain import (
        Balances,
        CatalogTariff,
        Money,
        PackageSizes,
        Region,
        Subscriber,
        SubscriberStatus,
        TariffClass,
        TariffRef,
        UnitPrices,
    )
    from models.pricing import estimate
    from models.usage import UsageStore
    from sandbox.catalog import TARIFFS

    def rub(kop: int) -> Money:
        return Money(Decimal(kop).scaleb(-2))

    def balances(kop: int) -> Balances:
        return Balances(rub(kop), rub(0), rub(0), None)

    tariffs = [CatalogTariff(t.code, t.name, TariffClass(t.tariff_class), rub(t.one_off_kop),
                             rub(t.monthly_kop), t.available,
                             UnitPrices(rub(t.minute_kop), rub(t.sms_kop), rub(t.mb_kop)),
                             PackageSizes(t.package_minutes, t.package_sms, t.package_mb))
               for t in TARIFFS if t.tariff_class == "mass" and t.available]
    open_store(f"sqlite:///{folder}/salon.db")
    subscriber = Subscriber(MSISDN, "Кузнецов Игорь Олегович", SubscriberStatus.ACTIVE,
                            Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow"),
                            TariffRef("SMART_PLUS", "Смарт Плюс", TariffClass.MASS,
                                      rub(75000)), (), False, 1)
    header = Header("DET-20261123-BENCHMRK", datetime(2026, 11, 23, 9, tzinfo=UTC),
                    "ПАО «Мобильная связь»", "Салон «Тверская, 12»", "MSK-TVERSKAYA-12")

    def make() -> object:
        # as the service reads them: streamed from the store in chunks, totals by SQL
        rows = UsageStore().records(MSISDN, int(START.timestamp()), int(END.timestamp()))
        comparison = estimate(rows, tariffs, "SMART_PLUS", PERIOD, END, ZONE)
        return build(header, subscriber, PERIOD, day_spans(PERIOD, ZONE), START, END, rows,
                     balances(opening_kop), balances(closing_kop), balances(closing_kop),
                     comparison, Options(mask_numbers=True))

    return make


def child(folder: str, fmt: str, opening: str, closing: str) -> None:
    """In a fresh process: store → report → file; print peak RSS (MB)."""
    import resource

    from printing.detalization import render

    make = _maker(Path(folder), int(opening), int(closing))
    began = time.perf_counter()
    report = make()
    render(report, fmt, Path(folder) / f"child.{fmt}")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    status = Path("/proc/self/status").read_text()
    peak_kb = (int(status.split("VmHWM:")[1].split()[0]) if "VmHWM:" in status
               else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(json.dumps({"seconds": time.perf_counter() - began, "maxrss_mb": peak_kb / 1024}))


def _xlsx_growth(report, folder: Path) -> tuple[float, float]:
    """Python memory the XLSX writer itself takes (tracemalloc peak above the report), for a
    quarter of the rows and for all of them."""
    from printing.detalization import render

    peaks = []
    listed = list(report.rows)
    for share in (4, 1):
        count = len(listed) // share
        part = replace(report, rows=listed[:count], row_count=count)
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        render(part, "xlsx", folder / f"part{share}.xlsx")
        peaks.append((tracemalloc.get_traced_memory()[1] - base) / 1e6)
        tracemalloc.stop()
    return peaks[0], peaks[1]


def run() -> list[str]:
    from models.detalization import row_texts
    from printing.detalization import render

    lines = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        opening, closing = _fill_store(folder)
        make = _maker(folder, opening, closing)
        # "from the report": the rows itemized beforehand, as the writers' own work is timed
        # here (the service streams them from the store: the "whole" line times that)
        streamed = make()
        report = replace(streamed, rows=list(streamed.rows))
        rows = report.shown_count
        texts = [row_texts(row) for row in report.rows]
        reference, ours, whole, raw, ready = [], [], [], [], []
        for _ in range(REPEAT):
            began = time.perf_counter()
            write_rows(map(row_texts, report.rows), folder / "raw.pdf")
            raw.append(time.perf_counter() - began)
            began = time.perf_counter()
            write_rows(texts, folder / "ready.pdf")
            ready.append(time.perf_counter() - began)
            began = time.perf_counter()
            reference_loop(texts, folder / "reference.pdf")
            reference.append(time.perf_counter() - began)
            began = time.perf_counter()
            render(report, "pdf", folder / "detalization.pdf")
            ours.append(time.perf_counter() - began)
            began = time.perf_counter()
            render(make(), "pdf", folder / "whole.pdf")
            whole.append(time.perf_counter() - began)
        ref = statistics.median(reference)
        lines.append(ratio_line(f"hand-written canvas loop, {rows:,} rows", ref, ref, "s"))
        lines.append(ratio_line("detalization PDF from the report (≤ 1.5×)",
                                statistics.median(ours), 1.5 * ref, "s"))
        lines.append(ratio_line("store → report → PDF, whole (≤ 1.5×)",
                                statistics.median(whole), 1.5 * ref, "s"))
        floor = statistics.median(raw)
        lines.append(ratio_line(f"raw content-stream writer, {rows:,} rows", floor, floor, "s"))
        lines.append(ratio_line("detalization PDF vs the raw writer (≤ 1.0×)",
                                statistics.median(ours), floor, "s"))
        lines.append(reference_line("  the raw writer, texts handed ready-made",
                                    statistics.median(ready), floor, "s"))
        lines.append(reference_line("  detalization PDF vs that", statistics.median(ours),
                                    statistics.median(ready), "s"))
        measured = subprocess.run([sys.executable, "-m", "benchmarks.detalization", "--child",
                                   name, "pdf", str(opening), str(closing)],
                                  capture_output=True, text=True, check=True)
        peak = json.loads(measured.stdout.strip().splitlines()[-1])
        lines.append(ratio_line("peak memory, store → PDF (fresh process)", peak["maxrss_mb"],
                                300.0, "MB"))
        began = time.perf_counter()
        render(report, "xlsx", folder / "detalization.xlsx")
        lines.append(ratio_line(f"detalization XLSX, {rows:,} rows", time.perf_counter() - began,
                                10.0, "s"))
        quarter, full = _xlsx_growth(report, folder)
        lines.append(ratio_line(f"XLSX writer memory, all rows vs a quarter ({quarter:.1f} MB)",
                                full, max(quarter, 1.0) * 1.25, "MB"))
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:6])
    else:
        print("\n".join(run()))
