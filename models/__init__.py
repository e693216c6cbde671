"""The local store (peewee tables, the database proxy, migrations) and the domain dataclasses."""
