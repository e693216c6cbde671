"""The manager's daily log as a file: XLSX, CSV or PDF, with Russian labels (English on request).

`render(log, fmt, path)` writes the whole file at `path` and returns its hash (the file carries
its id and hash; the service registers them); the caller makes it atomic. The three
writers share the labels and the cell text rules here; each lives in its own module and is
imported only when asked for (ReportLab and xlsxwriter are not cheap to import).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from models.audit import AuditAction, AuditResult
from models.daily_log import DailyLog, Progress

FORMATS = ("xlsx", "csv", "pdf")
LANGUAGES = ("ru", "en")
PROGRESS_EVERY = 500  # rows between progress calls


@dataclass(frozen=True)
class Labels:
    title: str  # "{day}" is replaced by the date
    salon: str
    day: str
    timezone: str
    generated: str
    entries_count: str
    done: str
    refused: str
    failed: str
    last_hash: str
    last_hash_none: str
    no_entries: str
    seq: str
    time: str
    time_utc: str
    clerk: str
    system: str  # shown for clerk "" (the console itself)
    counter: str
    subscriber: str
    action: str
    action_code: str
    result: str
    detail: str
    reason: str
    hash: str
    total: str
    by_clerk: str
    by_action: str
    identity_by_clerk: str  # R10: the identity checks per clerk (only on a day that had any)
    pickup_by_clerk: str  # R11: pick-up orders per clerk (only on a day that had any)
    pickup_printed: str  # its columns
    pickup_handed_over: str
    pickup_destroyed: str
    problems: str
    entries_sheet: str
    totals_sheet: str
    page: str  # "{page}" of "{pages}"
    document: str  # "{id}": the file's own id
    verify: str  # how to check the file; its SHA-256 follows
    actions: dict[str, str]
    results: dict[str, str]


RU = Labels(
    title="Журнал операций за {day}", salon="Салон", day="Дата", timezone="Часовой пояс",
    generated="Сформирован", entries_count="Записей", done="Выполнено", refused="Отказано",
    failed="Сбоев", last_hash="Последний хеш журнала за день",
    last_hash_none="журнал пуст", no_entries="За этот день записей нет.",
    seq="№", time="Время", time_utc="Время (UTC)", clerk="Сотрудник", system="(система)",
    counter="Рабочее место", subscriber="Абонент", action="Действие", action_code="Код",
    result="Результат", detail="Подробности", reason="Причина", hash="Хеш", total="Всего",
    by_clerk="Итоги по сотрудникам", by_action="Итоги по операциям",
    identity_by_clerk="Проверки документов по сотрудникам",
    pickup_by_clerk="Заказы на получение по сотрудникам",
    pickup_printed="Напечатано", pickup_handed_over="Выдано", pickup_destroyed="Уничтожено",
    problems="Отказы и сбои", entries_sheet="Журнал", totals_sheet="Итоги",
    page="Страница {page} из {pages}",
    document="Документ {id}",
    verify="Проверка подлинности: salon verify-document <файл>",
    actions={
        AuditAction.SIGN_IN: "Вход", AuditAction.SIGN_OUT: "Выход",
        AuditAction.SIGN_IN_FAILED: "Неудачный вход",
        AuditAction.SCREEN_LOCK: "Блокировка экрана",
        AuditAction.SCREEN_UNLOCK: "Разблокировка экрана",
        AuditAction.LOOKUP: "Поиск абонента", AuditAction.TARIFF_CHANGE: "Смена тарифа",
        AuditAction.IDENTITY_CHECK: "Проверка документа",
        AuditAction.IDENTITY_END: "Конец визита абонента",
        AuditAction.SERVICE_ADD: "Подключение услуги",
        AuditAction.SERVICE_REMOVE: "Отключение услуги",
        AuditAction.ASSISTANT_CONNECT: "Подключение «Электронного Помощника»",
        AuditAction.ORDER_QUEUE: "Изменение поставлено в очередь",
        AuditAction.ORDER_CANCEL: "Отмена изменения из очереди",
        AuditAction.CODE_ISSUE: "Выдача кода доступа",
        AuditAction.CODE_VERIFY: "Проверка кода доступа",
        AuditAction.DETALIZATION: "Детализация",
        AuditAction.PICKUP_PRINT: "Печать заказа на получение",
        AuditAction.PICKUP_HAND_OVER: "Выдача заказа на получение",
        AuditAction.PICKUP_DESTROY: "Уничтожение невостребованного заказа",
        AuditAction.DOCUMENT_SAVE: "Документ сохранён в файл", AuditAction.PRINT: "Печать",
        AuditAction.EMAIL: "Отправка по e-mail", AuditAction.ARCHIVE: "Личный архив",
        AuditAction.EXPORT: "Выгрузка", AuditAction.PURGE: "Удаление устаревших данных",
        AuditAction.AUDIT_VERIFY: "Проверка журнала",
        AuditAction.CLERK_ADD: "Добавление сотрудника",
        AuditAction.CLERK_DISABLE: "Блокировка сотрудника",
        AuditAction.CLERK_ENABLE: "Разблокировка сотрудника",
        AuditAction.CLERK_PASSWD: "Смена пароля сотрудника",
    },
    results={AuditResult.DONE: "выполнено", AuditResult.REFUSED: "отказано",
             AuditResult.FAILED: "сбой"},
)

EN = Labels(
    title="Operations log for {day}", salon="Salon", day="Date", timezone="Time zone",
    generated="Generated", entries_count="Entries", done="Done", refused="Refused",
    failed="Failed", last_hash="The journal's last hash for the day",
    last_hash_none="the journal is empty", no_entries="No entries on this day.",
    seq="No.", time="Time", time_utc="Time (UTC)", clerk="Clerk", system="(system)",
    counter="Counter", subscriber="Subscriber", action="Action", action_code="Code",
    result="Result", detail="Detail", reason="Reason", hash="Hash", total="Total",
    by_clerk="Totals by clerk", by_action="Totals by operation",
    identity_by_clerk="Identity checks by clerk (R10)",
    pickup_by_clerk="Orders for pick-up by clerk (R11)",
    pickup_printed="Printed", pickup_handed_over="Handed over", pickup_destroyed="Destroyed",
    problems="Refusals and failures", entries_sheet="Journal", totals_sheet="Totals",
    page="Page {page} of {pages}",
    document="Document {id}",
    verify="To check it: salon verify-document <file>",
    actions={action: action.value.replace("_", " ").capitalize() for action in AuditAction},
    results={result: result.value for result in AuditResult},
)


def pickup_columns(words: Labels) -> tuple[str, str, str]:
    """R11's table of orders for pick-up per clerk: its three count columns."""
    return words.pickup_printed, words.pickup_handed_over, words.pickup_destroyed


def labels(language: str) -> Labels:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    return RU if language == "ru" else EN


def action_label(words: Labels, action: str) -> str:
    return words.actions.get(action, action)


def clerk_label(words: Labels, clerk: str) -> str:
    return clerk or words.system


def date_text(log: DailyLog) -> str:
    return log.day.strftime("%d.%m.%Y")


def offset_text(log: DailyLog) -> str:
    """'Europe/Moscow (UTC+3)' for the day's noon: what the times in the log are in."""
    noon = datetime.combine(log.day, time(12), ZoneInfo(log.timezone))
    offset = noon.utcoffset()
    if offset is None:  # a ZoneInfo always gives one; a wrong "UTC+0" would be worse than this
        raise ValueError(f"no UTC offset for {log.timezone!r}")
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else "−"
    return f"{log.timezone} (UTC{sign}{hours}{f':{rest:02d}' if rest else ''})"


def generated_text(log: DailyLog) -> str:
    return log.local_time(log.generated_at).strftime("%d.%m.%Y %H:%M:%S")


def render(
    log: DailyLog, fmt: str, path: Path, *, language: str = "ru",
    progress: Progress | None = None,
) -> str:
    """Write the daily log to `path` in `fmt` (one of FORMATS); return the hash of what it
    shows (printing/canonical.py), which `salon verify-document` checks."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    writer = importlib.import_module(f"printing.daily_log_{fmt}")
    return str(writer.write(log, path, labels(language), progress))
