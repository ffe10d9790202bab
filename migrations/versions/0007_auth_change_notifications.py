"""Announce changes to tokens and users, so processes that remember bearer tokens forget them at once.

Each app process remembers the users of the bearer tokens it has seen (app/services/token_cache.py)
while it listens on the channel `jointinspect_auth`. These triggers notify that channel when a token
or a user changes or is deleted; PostgreSQL delivers the notification when the transaction commits,
and every listening process forgets what it remembered. Bookkeeping that changes nothing about who
may call (a token's last use, a user's sign-in attempts) is not announced: those columns are passed
to the trigger as the ones to ignore.

SQLite has no notifications; there the app does not remember tokens, so nothing is created.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TRIGGERS = (
    ("api_tokens_announce_change", "api_tokens", ("last_used_at",)),
    ("users_announce_change", "users", ("failed_logins", "locked_until", "last_login_at")),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION announce_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - TG_ARGV = to_jsonb(NEW) - TG_ARGV THEN
                RETURN NULL;  -- only the columns named in the trigger changed
            END IF;
            PERFORM pg_notify('jointinspect_auth', TG_TABLE_NAME);
            RETURN NULL;
        END $$
    """)
    for name, table, ignored in TRIGGERS:
        arguments = ", ".join(f"'{column}'" for column in ignored)
        op.execute(f"CREATE TRIGGER {name} AFTER UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION announce_auth_change({arguments})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _ignored in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION announce_auth_change()")
