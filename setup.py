"""Packaging for the Salon console: `pip install -e .` gives the `salon` command."""

from setuptools import find_packages, setup

setup(
    name="salon-console",
    version="0.1.0",
    description="The counter console for a mobile operator's salon-stores",
    python_requires=">=3.11",
    packages=find_packages(include=["app", "app.*", "models", "models.*", "printing",
                                    "printing.*", "sandbox", "sandbox.*", "resources"]),
    package_data={"resources": ["*.json", "*.md", "fonts/*", "icons/*", "locale/*/LC_MESSAGES/*"]},
    install_requires=[
        "argon2-cffi>=23.1",
        "babel>=2.14",
        "fastapi>=0.110",
        "httpx>=0.27",
        "keyring>=25",
        "peewee>=3.17",
        "phonenumbers>=8.13",
        "platformdirs>=4",
        "psycopg2-binary>=2.9",
        "pydantic>=2.6",
        "reportlab>=4.1",
        "tenacity>=8.2",
        "uvicorn>=0.29",
        "xlsxwriter>=3.2",
        "rl-accel>=0.9",  # ReportLab's C helpers: text widths and number formatting
        "openpyxl>=3.1",  # verify-document reads XLSX back
        "pycups>=2.0",  # printing at the counter (builds against libcups2-dev)
        "email-validator>=2.1",  # addresses checked by syntax (no DNS) before a send
    ],
    extras_require={
        "test": [
            "aiosmtpd>=1.4",  # a real SMTP server (STARTTLS) on loopback
            "hypothesis>=6.100",
            # TMF messages held to TM Forum's published Swagger 2.0 documents (draft-4 schemas,
            # date-time formats checked): tests/support/tmf_docs.py.
            "jsonschema>=4.21",
            "rfc3339-validator>=0.1.4",
            "libfaketime>=3.0",  # scripts/at-month-end: the suite at the month's end
            "mypy>=1.10",  # make test/lint type-check app, models, printing, sandbox, benchmarks
            "openapi-core>=0.19",  # every sandbox answer held to its OpenAPI document
            "pytest>=8",
            "pytest-timeout>=2.3",
            "ruff>=0.4",
            # Stubs for libraries that ship no types of their own (mypy reads them).
            "types-jsonschema",
            "types-openpyxl",
            "types-psycopg2",
            "types-pycups",
            "types-reportlab",
        ],
    },
    entry_points={"console_scripts": ["salon = app.launcher:main"]},
)
