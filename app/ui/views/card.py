"""The subscriber card: where the data came from, what the clerk can do for the subscriber
(the `extras` row: operations and pending writes, filled by the window), then the sections in
one or two columns."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.card import CardViewModel, FieldView, waiting_text
from app.ui.views.scrolled import ScrolledList
from app.ui.views.scrollframe import ScrollFrame
from app.ui.views.section import Section, label_width

TWO_COLUMNS_FROM = 740  # px of card width; narrower, the sections stack and the card scrolls
GAP = 8  # between sections
MIN_SERVICE_ROWS = 3
MAX_SERVICE_ROWS = 8  # in one column, where the card scrolls anyway
# Section padding, border and title rule, the services title's padding, the list's border.
SECTION_CHROME = 8 + 10 + 2 + 10 + 12 + 4 + 4


class CardPanel(ttk.Frame):
    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master)
        self.columnconfigure(0, weight=1)
        self.rowconfigure(2, weight=1)
        self.view: CardViewModel | None = None
        # Rows other parts of the window add under a section's own: the access code's under
        # the Assistant's (app/ui/access_codes.py), the personal archive's under the
        # Subscriber's (app/ui/delivery.py). They come later than the card, from the network.
        self.extra_fields: dict[str, tuple[FieldView, ...]] = {"subscriber": (), "assistant": ()}
        self.two_columns = True
        self._placeholder = self._build_placeholder()
        self.source = ttk.Label(self, style="Source.api.TLabel", anchor="w")
        self.source.grid(row=0, column=0, sticky="ew", pady=(0, 8))
        # Shown with a card only; its children grid themselves (and hide when empty).
        self.extras = ttk.Frame(self)
        self.extras.columnconfigure(0, weight=1)
        self.extras.grid(row=1, column=0, sticky="ew")
        self.scroll = ScrollFrame(self)
        self.scroll.grid(row=2, column=0, sticky="nsew")
        inner = self.scroll.inner
        inner.columnconfigure((0, 1), weight=1, uniform="column")
        self._left = ttk.Frame(inner)
        self._left.columnconfigure(0, weight=1)
        self._right = ttk.Frame(inner)
        self._right.columnconfigure(0, weight=1)

        self.subscriber = Section(self._left)
        self.subscriber.grid(row=0, column=0, sticky="ew", pady=(0, GAP))
        self.name = ttk.Label(self.subscriber.top, style="Name.TLabel", anchor="w")
        self.name.grid(row=0, column=0, sticky="ew", pady=(0, 4))
        self.name.bind("<Configure>", self._wrap_name)
        self.tariff = Section(self._left)
        self.tariff.grid(row=1, column=0, sticky="new")
        self.services_title = ttk.Label(self.tariff.bottom, style="Field.TLabel")
        self.services_title.grid(row=0, column=0, sticky="w", pady=(8, 4))
        self.services = ScrolledList(self.tariff.bottom, height=4)
        self.services.grid(row=1, column=0, sticky="nsew")

        self.balances = Section(self._right)
        self.balances.grid(row=0, column=0, sticky="ew", pady=(0, GAP))
        self.packages = Section(self._right)
        self.packages.grid(row=1, column=0, sticky="ew", pady=(0, GAP))
        self.assistant = Section(self._right)
        self.assistant.grid(row=2, column=0, sticky="new")
        self._layout(two_columns=True)
        self._fit_after: str | None = None
        self.bind("<Configure>", self._resized)
        # Refit when the room changes and when the left column's content settles (its
        # height is known only after Tk's idle-time layout, level by level).
        self.scroll.canvas.bind("<Configure>", lambda _event: self._fit_services(), add="+")
        self._left.bind("<Configure>", lambda _event: self._fit_services())
        self.scroll.follow(self._left, self._right)
        self.show(None)

    def show(self, view: CardViewModel | None) -> None:
        if view is None or self.view is None or view.phone != self.view.phone:
            # Another subscriber (or none): the rows added for the last one never show on
            # this card, not even until their owners have asked for this one's; and the card
            # starts at its top, not where the last one was scrolled to.
            self.extra_fields = {section: () for section in self.extra_fields}
            self.scroll.to_top()
        self.view = view
        self.retranslate()
        if view is None:
            self.source.grid_remove()
            self.extras.grid_remove()
            self.scroll.grid_remove()
            self._placeholder.grid()
            return
        self.source.configure(
            text=view.source_line,
            style="Source.cache.TLabel" if view.offline else "Source.api.TLabel",
        )
        self.name.configure(text=view.name)
        self.subscriber.set_fields((*view.subscriber, *self.extra_fields["subscriber"]))
        self.tariff.set_fields(view.tariff)
        self.services.set_items(view.services)
        self.balances.set_fields(view.balances)
        self.packages.set_packages(view.packages, waiting_text() if "balances" in view.withheld
                                   else _("No packages on this tariff."))
        self.assistant.set_fields((*view.assistant, *self.extra_fields["assistant"]))
        self._align_labels()
        self._placeholder.grid_remove()
        self.source.grid()
        self.extras.grid()
        self.scroll.grid()
        self._fit_soon()

    def set_extra_fields(self, section: str, fields: tuple[FieldView, ...]) -> None:
        """Rows after `section`'s own ("subscriber": the personal archive; "assistant": the
        access code's state, attempts and lock countdown)."""
        if fields == self.extra_fields[section]:
            return
        self.extra_fields[section] = fields
        if self.view is not None:
            own = self.view.subscriber if section == "subscriber" else self.view.assistant
            getattr(self, section).set_fields((*own, *fields))
            self._align_labels()

    def _fit_soon(self) -> None:
        """Refit once Tk has laid the card out (when idle); once however often asked."""
        if self._fit_after is None:
            self._fit_after = self.after_idle(self._fit_services)

    def destroy(self) -> None:
        # Destroyed before Tk was idle (the window closed at once): no refit left behind
        # for widgets that are gone (Tk: "invalid command name").
        if self._fit_after is not None:
            self.after_cancel(self._fit_after)
            self._fit_after = None
        super().destroy()

    def _fit_services(self) -> None:
        """As many service rows as the window has room for (at least 3), never empty rows;
        the list scrolls for the rest."""
        self._fit_after = None
        count = len(self.view.services) if self.view else 0
        if count == 0:
            self.services.grid_remove()
            return
        self.services.grid()
        tree = self.services.tree
        row_px = int(ttk.Style(self).lookup("List.Treeview", "rowheight") or 22)
        current = int(tree.cget("height"))
        room = self.scroll.canvas.winfo_height()
        if room <= 1 or not self.two_columns:
            rows = min(count, MAX_SERVICE_ROWS)
        else:
            # Measured from what does not depend on the list, so that resizing the list
            # cannot feed back into the next measurement (Tk updates sizes at idle time).
            tariff = self.tariff
            around = (
                self.subscriber.winfo_reqheight() + GAP
                + tariff.title.winfo_reqheight() + tariff.top.winfo_reqheight()
                + tariff.body.winfo_reqheight() + self.services_title.winfo_reqheight()
                + SECTION_CHROME
            )
            rows = min(count, max(MIN_SERVICE_ROWS, (room - around) // row_px))
        if rows != current:
            tree.configure(height=rows)
            self.after_idle(self.scroll.refit)

    def retranslate(self) -> None:
        """Static texts only; the window re-presents the card itself in the new language."""
        self.subscriber.set_title(_("Subscriber"))
        self.tariff.set_title(_("Tariff and services"))
        self.balances.set_title(_("Balances"))
        self.packages.set_title(_("Packages"))
        self.assistant.set_title(_("Electronic Assistant"))
        count = len(self.view.services) if self.view else 0
        withheld = self.view is not None and "services" in self.view.withheld
        self.services_title.configure(
            text="" if withheld  # R10: the tariff section's own row says what they wait for
            else _("Connected services: {count}").format(count=count)
            if count
            else _("No services connected.")
        )
        self._placeholder_title.configure(text=_("Find a subscriber"))
        self._placeholder_text.configure(
            text=_("Type the phone number the subscriber gives you and press Enter. "
                   "The card shows the tariff, services, balances and packages.")
        )

    def sections(self) -> tuple[Section, ...]:
        return (self.subscriber, self.tariff, self.balances, self.packages, self.assistant)

    def _align_labels(self) -> None:
        # Values start at the same x in every section of a column (in both languages).
        columns = (
            [(self.subscriber, self.tariff), (self.balances, self.packages, self.assistant)]
            if self.two_columns
            else [self.sections()]
        )
        for sections in columns:
            width = label_width(self, [label for s in sections for label in s.labels()])
            for section in sections:
                section.set_label_width(width)

    def _resized(self, event: tk.Event) -> None:
        two_columns = event.width >= TWO_COLUMNS_FROM
        if two_columns != self.two_columns:
            self._layout(two_columns)
            self._align_labels()
            self._fit_soon()

    def _layout(self, two_columns: bool) -> None:
        self.two_columns = two_columns
        inner = self.scroll.inner
        if two_columns:
            self._left.grid(row=0, column=0, columnspan=1, sticky="nsew", padx=(0, GAP // 2))
            self._right.grid(row=0, column=1, columnspan=1, sticky="nsew", padx=(GAP // 2, 0),
                             pady=0)
            inner.rowconfigure(0, weight=0)
            inner.rowconfigure(1, weight=0)
        else:
            self._left.grid(row=0, column=0, columnspan=2, sticky="nsew", padx=0)
            self._right.grid(row=1, column=0, columnspan=2, sticky="nsew", padx=0,
                             pady=(GAP, 0))
            inner.rowconfigure(0, weight=0)
            inner.rowconfigure(1, weight=0)

    def _build_placeholder(self) -> ttk.Frame:
        frame = ttk.Frame(self, style="Card.TFrame", padding=40)
        frame.grid(row=0, column=0, rowspan=3, sticky="nsew")
        frame.columnconfigure(0, weight=1)
        frame.rowconfigure((0, 3), weight=1)
        self._placeholder_title = ttk.Label(frame, style="PlaceholderTitle.TLabel")
        self._placeholder_title.grid(row=1, column=0)
        self._placeholder_text = ttk.Label(
            frame, style="Placeholder.TLabel", justify="center", wraplength=460
        )
        self._placeholder_text.grid(row=2, column=0, pady=(8, 0))
        return frame

    def _wrap_name(self, event: tk.Event) -> None:
        self.name.configure(wraplength=max(150, event.width))
