"""The Tk window: views (widgets only), presenters (no tkinter), a BackgroundRunner.

Nothing here imports peewee, httpx, cups or reportlab: the window talks to app.services.
"""
