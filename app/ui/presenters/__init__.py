"""Domain objects → display strings. No tkinter import here: tested without a screen."""
