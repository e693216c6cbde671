"""The console's look: ttk "clam" restyled with a calm palette and DejaVu Sans.

White cards on a light grey page, dark text, the operator's red used sparingly (the brand mark,
the primary button, the progress bar), amber for "look here" states (offline, training), and a
deep red only for values that need the clerk's attention. Style names are the vocabulary the
views use; keep them here so the whole window changes in one place.
"""

from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass
from tkinter import font as tkfont
from tkinter import ttk

FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class Palette:
    page: str = "#eef0f3"
    card: str = "#ffffff"
    border: str = "#d9dde3"
    text: str = "#1f2329"
    muted: str = "#5d6672"
    faint: str = "#8a929c"
    accent: str = "#d0112b"  # operator red
    accent_dark: str = "#a50d22"
    accent_pale: str = "#f3b7bf"
    online: str = "#1e8e3e"
    offline: str = "#d97b00"
    unknown: str = "#9aa0a6"
    alert: str = "#b3261e"
    alert_bg: str = "#fdecea"
    warn_text: str = "#6b4400"
    warn_bg: str = "#fff4dc"
    warn_border: str = "#f0c36d"
    good_text: str = "#1b5e20"
    good_bg: str = "#e8f5e9"
    info_bg: str = "#eaf1fb"
    info_text: str = "#1a4a8a"
    select: str = "#fbe3e6"
    stripe: str = "#f6f7f9"
    thumb: str = "#c9ced6"


PALETTE = Palette()

# Named fonts: views refer to them by name so a size change is one line here.
FONTS: dict[str, tuple[int, str]] = {
    "SalonBase": (10, "normal"),
    "SalonSmall": (9, "normal"),
    "SalonLabel": (10, "normal"),
    "SalonValue": (11, "normal"),
    "SalonValueBold": (11, "bold"),
    "SalonSection": (10, "bold"),
    "SalonTitle": (16, "bold"),
    "SalonBrand": (13, "bold"),
    "SalonEntry": (15, "normal"),
    "SalonButton": (11, "bold"),
}


def apply_theme(root: tk.Tk) -> Palette:
    """Create the named fonts and ttk styles for this root; returns the palette."""
    _fonts(root)
    p = PALETTE
    root.configure(background=p.page)
    root.option_add("*TCombobox*Listbox.font", "SalonBase")
    style = ttk.Style(root)
    style.theme_use("clam")
    style.configure(
        ".",
        background=p.page,
        foreground=p.text,
        font="SalonBase",
        bordercolor=p.border,
        lightcolor=p.page,
        darkcolor=p.page,
        troughcolor=p.page,
        focuscolor=p.accent_pale,
        selectbackground=p.select,
        selectforeground=p.text,
    )
    _frames(style, p)
    _labels(style, p)
    _buttons(style, p)
    _inputs(style, p)
    _choices(style, p)
    return p


def _fonts(root: tk.Misc) -> None:
    # Created through Tcl, not tkfont.Font: a Font object deletes its Tk font when it is
    # garbage-collected, and the styles would silently fall back to the default font.
    existing = set(tkfont.names(root))
    for name, (size, weight) in FONTS.items():
        options = ("-family", FAMILY, "-size", size, "-weight", weight)
        action = "configure" if name in existing else "create"
        root.tk.call("font", action, name, *options)
    for name in ("TkDefaultFont", "TkTextFont", "TkMenuFont", "TkHeadingFont"):
        tkfont.nametofont(name, root).configure(family=FAMILY, size=10)


def _frames(style: ttk.Style, p: Palette) -> None:
    style.configure("Header.TFrame", background=p.card)
    style.configure("Accent.TFrame", background=p.accent)
    style.configure("Card.TFrame", background=p.card, relief="solid", borderwidth=1,
                    bordercolor=p.border, lightcolor=p.border, darkcolor=p.border)
    style.configure("Body.TFrame", background=p.card)
    style.configure("Status.TFrame", background=p.card)
    style.configure("Rule.TFrame", background=p.border)
    style.configure("Error.TFrame", background=p.alert_bg)
    style.configure("ErrorBar.TFrame", background=p.alert)
    style.configure("Warn.TFrame", background=p.warn_bg)
    style.configure("WarnBar.TFrame", background=p.offline)
    style.configure("Info.TFrame", background=p.info_bg)
    style.configure("InfoBar.TFrame", background=p.info_text)
    style.configure("Done.TFrame", background=p.good_bg)
    style.configure("DoneBar.TFrame", background=p.online)
    style.configure("TPanedwindow", background=p.page)
    style.configure("Sash", sashthickness=8, gripcount=0, background=p.page)


def _labels(style: ttk.Style, p: Palette) -> None:
    on_card = {"background": p.card}
    style.configure("Brand.TLabel", **on_card, foreground=p.text, font="SalonBrand")
    style.configure("Logo.TLabel", background=p.accent, foreground="#ffffff",
                    font="SalonBrand", padding=(7, 0))
    style.configure("HeaderInfo.TLabel", **on_card, foreground=p.muted)
    style.configure("Dot.online.TLabel", **on_card, foreground=p.online, font="SalonBrand")
    style.configure("Dot.offline.TLabel", **on_card, foreground=p.offline, font="SalonBrand")
    style.configure("Dot.unknown.TLabel", **on_card, foreground=p.unknown, font="SalonBrand")
    style.configure("Training.TLabel", background=p.warn_bg, foreground=p.warn_text,
                    font="SalonSection", padding=(8, 2), relief="solid", borderwidth=1,
                    bordercolor=p.warn_border)
    style.configure("Prompt.TLabel", foreground=p.muted, font="SalonLabel")
    style.configure("Hint.TLabel", foreground=p.faint, font="SalonSmall")
    style.configure("Section.TLabel", **on_card, foreground=p.accent_dark, font="SalonSection")
    style.configure("Field.TLabel", **on_card, foreground=p.muted, font="SalonLabel")
    style.configure("Value.TLabel", **on_card, foreground=p.text, font="SalonValue")
    style.configure("Attention.TLabel", **on_card, foreground=p.alert, font="SalonValueBold")
    style.configure("Note.TLabel", **on_card, foreground=p.muted, font="SalonSmall")
    style.configure("Empty.TLabel", **on_card, foreground=p.faint, font="SalonValue")
    style.configure("Name.TLabel", **on_card, foreground=p.text, font="SalonTitle")
    style.configure("Phone.TLabel", **on_card, foreground=p.muted, font="SalonValue")
    style.configure("Source.api.TLabel", background=p.good_bg, foreground=p.good_text,
                    padding=(10, 4))
    style.configure("Source.cache.TLabel", background=p.warn_bg, foreground=p.warn_text,
                    font="SalonSection", padding=(10, 4))
    for kind, bg, fg in (("Error", p.alert_bg, p.alert), ("Warn", p.warn_bg, p.warn_text),
                         ("Info", p.info_bg, p.info_text), ("Done", p.good_bg, p.good_text)):
        style.configure(f"{kind}.Message.TLabel", background=bg, foreground=fg,
                        font="SalonValue", padding=(10, 8))
    style.configure("Status.TLabel", **on_card, foreground=p.muted, font="SalonSmall",
                    padding=(10, 4))
    style.configure("Placeholder.TLabel", **on_card, foreground=p.faint, font="SalonValue")
    style.configure("GateTitle.TLabel", **on_card, foreground=p.text, font="SalonTitle")
    style.configure("GateText.TLabel", **on_card, foreground=p.muted, font="SalonValue")
    style.configure("GateHint.TLabel", background=p.warn_bg, foreground=p.warn_text,
                    font="SalonSmall", padding=(10, 6))
    style.configure("HeaderClerk.TLabel", **on_card, foreground=p.text, font="SalonSection")
    style.configure("PlaceholderTitle.TLabel", **on_card, foreground=p.muted,
                    font="SalonBrand")
    # Orders: the pending strip, the operation dialog's notices, tooltips.
    style.configure("Pending.TLabel", background=p.warn_bg, foreground=p.warn_text,
                    font="SalonSection")
    style.configure("PendingLine.TLabel", background=p.warn_bg, foreground=p.warn_text,
                    font="SalonSmall")
    style.configure("Tooltip.TLabel", background="#fffbe6", foreground=p.text,
                    font="SalonSmall", padding=(8, 4), relief="solid", borderwidth=1,
                    bordercolor=p.warn_border)
    style.configure("Trial.TLabel", background=p.warn_bg, foreground=p.warn_text,
                    font="SalonLabel", padding=(10, 6))
    style.configure("Refusal.TLabel", background=p.alert_bg, foreground=p.alert,
                    font="SalonValueBold", padding=(10, 6))
    style.configure("Success.TLabel", background=p.good_bg, foreground=p.good_text,
                    font="SalonValue", padding=(10, 6))
    # A delivery that did not reach the subscriber (the document itself is made): red, but
    # in the label font, so a sentence with a kept path fits beside the page at 1024x700.
    style.configure("Undelivered.TLabel", background=p.alert_bg, foreground=p.alert,
                    font="SalonLabel", padding=(10, 6))
    style.configure("Step.TLabel", **on_card, foreground=p.faint, font="SalonLabel")
    style.configure("StepNow.TLabel", **on_card, foreground=p.accent_dark, font="SalonSection")
    style.configure("Disabled.TLabel", **on_card, foreground=p.faint, font="SalonSmall")


def _buttons(style: ttk.Style, p: Palette) -> None:
    style.configure("Primary.TButton", background=p.accent, foreground="#ffffff",
                    font="SalonButton", padding=(18, 6), borderwidth=0,
                    bordercolor=p.accent, lightcolor=p.accent, darkcolor=p.accent,
                    focuscolor=p.accent_dark)
    style.map(
        "Primary.TButton",
        background=[("disabled", p.accent_pale), ("pressed", p.accent_dark),
                    ("active", p.accent_dark)],
        foreground=[("disabled", "#ffffff")],
        bordercolor=[("focus", p.accent_dark)],
        lightcolor=[("disabled", p.accent_pale), ("pressed", p.accent_dark),
                    ("active", p.accent_dark)],
        darkcolor=[("disabled", p.accent_pale), ("pressed", p.accent_dark),
                   ("active", p.accent_dark)],
    )
    style.configure("Header.TButton", background=p.card, foreground=p.text,
                    font="SalonSection", padding=(10, 2), bordercolor=p.border,
                    lightcolor=p.card, darkcolor=p.card, focuscolor=p.accent_pale)
    style.map("Header.TButton", background=[("active", p.page), ("pressed", p.border)])
    style.configure("Action.TButton", background=p.card, foreground=p.text,
                    font="SalonLabel", padding=(10, 3), bordercolor=p.border,
                    lightcolor=p.card, darkcolor=p.card, focuscolor=p.accent_pale)
    style.map("Action.TButton", background=[("active", p.page), ("pressed", p.border)],
              foreground=[("disabled", p.faint)])
    style.configure("WarnLink.TButton", background=p.warn_bg, foreground=p.info_text,
                    font="SalonSmall", padding=(6, 2), borderwidth=0, relief="flat",
                    bordercolor=p.warn_bg, lightcolor=p.warn_bg, darkcolor=p.warn_bg,
                    focuscolor=p.warn_border)
    style.map("WarnLink.TButton", background=[("active", p.warn_border)])
    style.configure("Status.TButton", background=p.card, foreground=p.info_text,
                    font="SalonSmall", padding=(8, 1), bordercolor=p.border,
                    lightcolor=p.card, darkcolor=p.card, focuscolor=p.accent_pale)
    style.map("Status.TButton", background=[("active", p.info_bg), ("pressed", p.info_bg)])
    style.configure("Link.TButton", background=p.card, foreground=p.info_text,
                    font="SalonLabel", padding=(6, 6), borderwidth=0, relief="flat",
                    bordercolor=p.card, lightcolor=p.card, darkcolor=p.card,
                    focuscolor=p.accent_pale)
    style.map("Link.TButton", background=[("active", p.info_bg), ("pressed", p.info_bg)],
              lightcolor=[("active", p.info_bg)], darkcolor=[("active", p.info_bg)])
    style.configure("Lang.Toolbutton", background=p.card, foreground=p.muted,
                    font="SalonSection", padding=(8, 2), bordercolor=p.border,
                    lightcolor=p.card, darkcolor=p.card)
    style.map(
        "Lang.Toolbutton",
        background=[("selected", p.text), ("active", p.page)],
        foreground=[("selected", "#ffffff")],
        lightcolor=[("selected", p.text)],
        darkcolor=[("selected", p.text)],
    )


def _inputs(style: ttk.Style, p: Palette) -> None:
    style.configure("Phone.TEntry", padding=(8, 4), fieldbackground=p.card,
                    bordercolor=p.border, lightcolor=p.card, darkcolor=p.card)
    style.map("Phone.TEntry", bordercolor=[("focus", p.accent)],
              lightcolor=[("focus", p.accent_pale)])
    style.configure("Accent.Horizontal.TProgressbar", background=p.accent,
                    troughcolor=p.page, bordercolor=p.page, lightcolor=p.accent,
                    darkcolor=p.accent, thickness=4)
    style.configure("Package.Horizontal.TProgressbar", background=p.online,
                    troughcolor="#e3e7ec", bordercolor=p.card, lightcolor=p.online,
                    darkcolor=p.online, thickness=5)
    style.configure("Empty.Package.Horizontal.TProgressbar", background=p.alert,
                    lightcolor=p.alert, darkcolor=p.alert)
    style.configure("Treeview", background=p.card, fieldbackground=p.card,
                    foreground=p.text, rowheight=24, bordercolor=p.border,
                    lightcolor=p.card, darkcolor=p.card)
    style.map("Treeview", background=[("selected", p.select)],
              foreground=[("selected", p.text)])
    style.configure("Treeview.Heading", background=p.page, foreground=p.muted,
                    font="SalonSection", relief="flat", padding=(6, 4),
                    lightcolor=p.page, darkcolor=p.page, bordercolor=p.border)
    style.map("Treeview.Heading", background=[("active", p.border)])
    style.configure("List.Treeview", rowheight=22, borderwidth=0,
                    bordercolor=p.card, lightcolor=p.card, darkcolor=p.card)
    # Tabs (catalog, daily log): the one shown is white like the card under it.
    style.configure("TNotebook", background=p.card, bordercolor=p.border)
    style.configure("TNotebook.Tab", background=p.page, foreground=p.muted, padding=(12, 4),
                    font="SalonSection", bordercolor=p.border, lightcolor=p.page)
    style.map("TNotebook.Tab", background=[("selected", p.card)],
              foreground=[("selected", p.accent_dark)], lightcolor=[("selected", p.card)])
    style.configure("Vertical.TScrollbar", background=p.thumb, troughcolor=p.page,
                    bordercolor=p.page, lightcolor=p.thumb, darkcolor=p.thumb,
                    arrowcolor=p.muted, gripcount=0, arrowsize=12)
    style.map("Vertical.TScrollbar", background=[("active", p.faint)],
              lightcolor=[("active", p.faint)], darkcolor=[("active", p.faint)])


def _choices(style: ttk.Style, p: Palette) -> None:
    """Radio and check buttons on a white card (the detalization dialog's choices), and the
    thicker bar of a long job's progress."""
    for kind in ("TRadiobutton", "TCheckbutton"):
        style.configure(f"Choice.{kind}", background=p.card, foreground=p.text,
                        font="SalonValue", padding=(2, 3), focuscolor=p.accent_pale,
                        indicatorbackground=p.card, indicatorforeground=p.accent)
        style.map(f"Choice.{kind}", background=[("active", p.page)],
                  indicatorbackground=[("pressed", p.select), ("selected", p.card)],
                  foreground=[("disabled", p.faint)])
    style.configure("Pick.Action.TButton", anchor="w")
    style.configure("Job.Horizontal.TProgressbar", background=p.accent, troughcolor=p.page,
                    bordercolor=p.border, lightcolor=p.accent, darkcolor=p.accent,
                    thickness=14)
