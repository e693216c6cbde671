"""Orders ⇄ JSON-ready dicts: what the outbox stores (the confirmed preview, the operator's
result) and what `salon … --json` prints. One shape for both, like models/card_codec.py.
Money is a decimal string (its currency alongside); times are UTC ISO 8601 with `Z`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from models.domain import Money, ServiceRef, TrialPeriod
from models.orders import OrderAction, OrderPreview, OrderRequest, OrderResult, OutboxItem


def request_to_dict(request: OrderRequest) -> dict[str, Any]:
    return {"msisdn": request.msisdn, "action": request.action.value, "code": request.code}


def request_from_dict(data: dict[str, Any]) -> OrderRequest:
    return OrderRequest(data["msisdn"], OrderAction(data["action"]), data.get("code"))


def preview_to_dict(preview: OrderPreview) -> dict[str, Any]:
    return {
        "request": request_to_dict(preview.request),
        "allowed": preview.allowed,
        "refusal": None if preview.refusal_rule is None else {
            "rule": preview.refusal_rule, "message": preview.refusal_message},
        "currency": preview.fee.currency,
        "fee": money_text(preview.fee),
        "monthly_cost_before": money_text(preview.monthly_cost_before),
        "monthly_cost_after": money_text(preview.monthly_cost_after),
        "balance_before": money_text(preview.balance_before),
        "balance_after": money_text(preview.balance_after),
        "trial": trial_to_dict(preview.trial),
        "dropped_services": [{"code": s.code, "name": s.name} for s in preview.dropped_services],
        "subscriber_version": preview.subscriber_version,
    }


def preview_from_dict(data: dict[str, Any]) -> OrderPreview:
    currency = data["currency"]
    refusal = data.get("refusal")
    return OrderPreview(
        request=request_from_dict(data["request"]),
        allowed=bool(data["allowed"]),
        refusal_rule=None if refusal is None else refusal["rule"],
        refusal_message=None if refusal is None else refusal["message"],
        fee=_money(data["fee"], currency),
        monthly_cost_before=_money(data["monthly_cost_before"], currency),
        monthly_cost_after=_money(data["monthly_cost_after"], currency),
        balance_before=_money(data["balance_before"], currency),
        balance_after=_money(data["balance_after"], currency),
        trial=trial_from_dict(data.get("trial")),
        dropped_services=_services(data["dropped_services"]),
        subscriber_version=int(data["subscriber_version"]),
    )


def result_to_dict(result: OrderResult) -> dict[str, Any]:
    return {
        "order_id": result.order_id,
        "currency": result.fee.currency,
        "fee": money_text(result.fee),
        "monthly_cost_after": money_text(result.monthly_cost_after),
        "balance_after": money_text(result.balance_after),
        "completed_at": time_text(result.completed_at),
        "subscriber_version": result.subscriber_version,
        "dropped_services": [{"code": s.code, "name": s.name} for s in result.dropped_services],
    }


def result_from_dict(data: dict[str, Any]) -> OrderResult:
    currency = data["currency"]
    return OrderResult(
        order_id=data["order_id"],
        fee=_money(data["fee"], currency),
        monthly_cost_after=_money(data["monthly_cost_after"], currency),
        balance_after=_money(data["balance_after"], currency),
        completed_at=datetime.fromisoformat(data["completed_at"]),
        subscriber_version=int(data["subscriber_version"]),
        dropped_services=_services(data["dropped_services"]),
    )


def item_to_dict(item: OutboxItem) -> dict[str, Any]:
    """An outbox row as `salon outbox --json` prints it."""
    return {
        "id": item.id,
        "key": item.key,
        **request_to_dict(item.request),
        "state": item.state.value,
        "pending": item.pending,
        "if_match": item.if_match,
        "clerk": item.clerk,
        "created_at": time_text(item.created_at),
        "updated_at": time_text(item.updated_at),
        "attempts": item.attempts,
        "maybe_delivered": item.maybe_delivered,
        "cancel_requested": item.cancel_requested,
        "next_attempt_at": time_text(item.next_attempt_at),
        "last_error": item.last_error,
        "refusal_rule": item.refusal_rule,
        "fee": None if item.preview is None else money_text(item.preview.fee),
        "result": None if item.result is None else result_to_dict(item.result),
        "slip_path": item.slip_path,
    }


def trial_to_dict(trial: TrialPeriod | None) -> dict[str, str] | None:
    if trial is None:
        return None
    return {"start": trial.start.isoformat(), "end": trial.end.isoformat()}


def trial_from_dict(data: dict[str, str] | None) -> TrialPeriod | None:
    if data is None:
        return None
    return TrialPeriod(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))


def money_text(value: Money) -> str:
    return str(value.amount)


def time_text(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _money(text: str, currency: str) -> Money:
    return Money(Decimal(text), currency)


def _services(items: list[dict[str, str]]) -> tuple[ServiceRef, ...]:
    return tuple(ServiceRef(s["code"], s["name"]) for s in items)
