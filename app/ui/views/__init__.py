"""Widgets only: each view shows what a presenter prepared and reports clicks through callbacks."""
