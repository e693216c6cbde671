"""salon detalization PHONE --from YYYY-MM-DD --to YYYY-MM-DD --format FMT -o PATH [--json]
    [--deliver file|paper|email|archive] [--email ADDRESS] [--printer NAME]
salon verify-document FILE [--json]
salon purge [--json]"""

from __future__ import annotations

import argparse
from datetime import UTC
from pathlib import Path
from typing import Any, TextIO

from app.cli import Wiring
from app.commands import arguments
from app.commands.delivering import Delivery, add_delivery_arguments
from app.commands.log import parse_day
from app.commands.output import print_json, say, with_report
from app.commands.progress import end_progress, order_progress
from app.errors import InputError, RuleRefused, SalonError
from app.i18n import _
from app.phone import parse_msisdn

FORMATS = ("pdf", "html", "xlsx", "csv", "txt")


def register(commands: argparse._SubParsersAction) -> None:
    order = commands.add_parser(
        "detalization", help="the itemized report of a subscriber's calls, SMS, data and charges",
        description="Fetches the period's usage (only the days the store lacks), checks that the "
                    "operator's balances add up, and writes the report (R6). The number must be "
                    "of the salon's home region (R7). The file is written whole or not at all.")
    order.add_argument("phone", help="the number as written: +7 916 123-45-67, 8 (916) …")
    order.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD",
                       help="the first day, in the number's home region")
    order.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD",
                       help="the last day (inclusive); today at the latest")
    order.add_argument("--format", choices=FORMATS, metavar="{pdf,html,xlsx,csv,txt}",
                       help="default: from the file name's extension")
    order.add_argument("-o", "--output", type=arguments.output_file, metavar="PATH",
                       help="the file to write (replaced if it exists); required for "
                            "--deliver file, else the console keeps its own copy")
    add_delivery_arguments(order, "detalization")
    order.add_argument("--mask-numbers", action="store_true",
                       help="show counterparts' numbers partly hidden: +7 916 ***-**-67")
    order.add_argument("--summary", action="store_true", help="the summary only, no rows")
    order.add_argument("--hide-covered", action="store_true",
                       help="leave out the records a package paid for")
    order.add_argument("--json", action="store_true", help="print one JSON object")
    order.set_defaults(handler=run_order)

    verify = commands.add_parser(
        "verify-document", help="check that a document the console made (a detalization, a "
                                "confirmation slip, a leaflet, a daily log) is genuine and "
                                "unchanged",
        description="Recomputes the document's hash from everything the file shows and "
                    "compares it with this salon's register. Exit 0 genuine; 3 altered, not "
                    "made here, or made by an earlier console; 2 not a file or not a "
                    "supported format.")
    verify.add_argument("file", type=Path)
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler=run_verify)

    purge = commands.add_parser(
        "purge", help="R9: delete usage records and document copies past the retention period")
    purge.add_argument("--json", action="store_true", help="print one JSON object")
    purge.set_defaults(handler=run_purge)


def run_order(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.flows.detalization import DetalizationFlow  # the services with it: not at import
    from models.detalization import Options, Period

    msisdn = parse_msisdn(args.phone)  # a typo is refused before anything is started
    period = Period(parse_day(args.first), parse_day(args.last))
    if args.deliver == "file" and args.output is None:
        raise InputError(_("Give -o PATH: where to save the detalization (or --deliver paper, "
                           "email or archive)."))
    fmt = args.format or (args.output.suffix.lower().lstrip(".") if args.output else "pdf")
    if fmt not in FORMATS:
        raise InputError(_("Give --format pdf, html, xlsx, csv or txt, or a file name ending in "
                           "one."))
    delivery = Delivery(args, wiring, fmt, check=False)  # the flow checks it, below
    clerk = wiring.session()
    services = wiring.services()
    flow = DetalizationFlow(services.detalization, services.delivery, clerk)
    options = Options(mask_numbers=args.mask_numbers, itemized=not args.summary,
                      show_covered=not args.hide_covered)
    try:  # where it goes is checked before the report is made
        info = flow.make(msisdn, period, options, fmt, delivery.sending, path=args.output,
                         progress=order_progress())
    finally:
        end_progress()
    report = info.report
    try:
        delivered = flow.deliver(info, delivery.sending)
    except SalonError as error:  # the document stands; --json says which one was made
        with_report(error, {**_order_json(info), "delivery": delivery.as_json(None)})
        raise
    if args.json:
        print_json({**_order_json(info), "delivery": delivery.as_json(delivered)}, out)
        return
    say(out, _("Detalization {id} is saved: {path}").format(id=info.document_id, path=info.path))
    if delivered is not None:
        say(out, delivered.sentence)
    say(out, _("{rows} rows; opening {opening}, charges {charges}, payments {payments}, "
               "closing {closing}.").format(
        rows=info.rows, opening=report.opening, charges=report.total_charges,
        payments=report.payments, closing=report.closing))


def _order_json(info: Any) -> dict[str, Any]:
    report = info.report
    return {
        "document_id": info.document_id,
        "sha256": info.sha256,
        "path": str(info.path),
        "format": info.format,
        "msisdn": info.msisdn,
        "period": {"from": info.period.first.isoformat(), "to": info.period.last.isoformat()},
        "records": report.record_count,
        "rows": info.rows,
        "totals": {
            "opening": str(report.opening),
            "charges": {c.value: str(v) for c, v in report.charges.items()},
            "charges_total": str(report.total_charges),
            "payments": str(report.payments),
            "promised_payments": str(report.promised_credits),
            "closing": str(report.closing),
            "covered_records": report.covered_count,
        },
        "balances": {
            "as_of": report.balances_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "bonus": str(report.bonus), "promised_payment_debt": str(report.promised_debt),
            "promised_payment_due": None if report.promised_due is None else
            report.promised_due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "promised_payment_overdue": report.promised_overdue,
        },
        "tariffs": [{"code": t.code, "name": t.name, "total": str(t.total),
                     "monthly_fees": str(t.monthly_fees),
                     "difference": str(t.total - report.comparison_base), "current": t.current}
                    for t in report.tariffs],
        "tariff_changes": [{"from": s.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "to": s.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "tariff": s.name} for s in report.tariff_spans]
        if len(report.tariff_spans) > 1 else [],
        "switch_fees": str(report.switch_fees),
    }


def run_verify(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.verification import Verdict

    service = wiring.services().verification
    result = service.verify(args.file)
    registered = result.registered
    report = {
        "verdict": result.verdict.value, "format": result.format,
        "document_id": result.document_id, "sha256": result.sha256,
        "claimed_sha256": result.claimed_sha256,
        "registered": None if registered is None else {
            "kind": registered.kind.value,
            "created_at": registered.created_at.isoformat().replace("+00:00", "Z"),
            "salon": registered.salon_id, "counter": registered.counter,
            "format": registered.format, "msisdn": registered.msisdn_masked or None,
            "period": {"from": registered.period_from.isoformat(),
                       "to": registered.period_to.isoformat()},
            "sha256": registered.sha256}}
    if result.genuine:
        assert registered is not None
        if args.json:
            print_json(report, out)
        else:
            say(out, genuine_sentence(registered))
        return
    name = args.file.name
    if registered is None:
        error = RuleRefused(_("Not ours: {name} is not a document registered at this salon "
                              "(document {id}).").format(name=name,
                                                         id=result.document_id or "—"),
                            rule="unknown")
    elif result.verdict is Verdict.OUTDATED:
        error = RuleRefused(_("Cannot be checked: {id} was made by an earlier version of the "
                              "console, whose check covered only part of the document; make "
                              "the document again.").format(id=result.document_id),
                            rule="outdated")
    else:
        error = RuleRefused(_("Altered: what {name} shows does not match {kind} {id} as it was "
                              "made (the content's hash differs).").format(
            name=name, kind=kind_name(registered.kind), id=result.document_id), rule="altered")
    raise with_report(error, report)


def kind_name(kind: Any) -> str:
    from models.printing import DocumentKind

    return {DocumentKind.DETALIZATION: _("detalization"),
            DocumentKind.SLIP: _("confirmation slip"),
            DocumentKind.LEAFLET: _("Assistant leaflet"),
            DocumentKind.DAILY_LOG: _("daily log")}.get(kind, _("document"))


def genuine_sentence(registered: Any) -> str:
    """'Genuine: detalization DET-… made at salon X on date for +7 916 ***-**-67, period.'"""
    from models.printing import DocumentKind

    made = _("Genuine: {kind} {id} made at salon {salon} on {date}").format(
        kind=kind_name(registered.kind), id=registered.id, salon=registered.salon_id,
        date=registered.created_at.strftime("%d.%m.%Y %H:%M UTC"))
    first, last = (registered.period_from.strftime("%d.%m.%Y"),
                   registered.period_to.strftime("%d.%m.%Y"))
    if registered.kind is DocumentKind.DETALIZATION:
        return _("{made} for {number}, {first} — {last}.").format(
            made=made, number=registered.msisdn_masked, first=first, last=last)
    if registered.kind is DocumentKind.DAILY_LOG:
        return _("{made}, the log of {day}.").format(made=made, day=first)
    if registered.msisdn_masked:
        return _("{made} for {number}.").format(made=made, number=registered.msisdn_masked)
    return made + "."


def run_purge(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    """R9 now. The console also purges at every start, this one included: what that removed
    is counted here too, or a purge right after a start would always say 0."""
    services = wiring.services()
    report = services.retention.purge()
    at_start = services.purged_at_start  # None when the purge at start failed (logged)
    if at_start is not None:
        report = report + at_start
    counts = {"removed": report.total, "usage": report.usage,
              "documents": report.documents, "print_jobs": report.print_jobs,
              "archive_notes": report.archive_notes,
              "at_start": at_start.total if at_start is not None else 0}
    if args.json:
        print_json(counts, out)
        return
    say(out, _("Purged: {count} usage records and document copies past the retention "
               "period.").format(count=counts["removed"]))
