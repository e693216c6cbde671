"""The sandbox: the project's reference implementation of the operator API.

A real HTTP server (FastAPI + uvicorn) over a deterministic demo world of mobile subscribers,
kept in its own SQLite file. It shares no code with the console (DESIGN.md §3): it is the other
side of the contract in `resources/operator-api.md`.
"""
