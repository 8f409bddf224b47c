"""Automations, delivery log and SLAs.

- `automation`: `action` becomes a list of `actions`, plus `description` and the
  per-automation signing `secret`;
- `notification`: one delivery of one action for one trigger event, unique per
  (automation, action, trigger key) so replicas never alert twice; claims with an expiry;
- `notification_attempt`: every delivery attempt (the delivery log);
- `flow_sla`: late-start / long-run / missed-run thresholds per flow group;
- `sla_breach`: each breach once (unique per flow group, kind and run or scheduled time).

No release ever wrote `automation` or `notification` rows (no API did before this
revision), so both are recreated instead of altered column by column.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Plain types (never application types): a migration must not change when the app does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenant.id"],
        name=op.f(f"fk_{table}__tenant_id__tenant"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    _drop_initial_tables()
    op.create_table(
        "automation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("trigger", JSON, nullable=False),
        sa.Column("actions", JSON, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        _tenant_fk("automation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation")),
    )
    with op.batch_alter_table("automation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_automation__tenant_id_enabled"), ["tenant_id", "enabled"], unique=False
        )

    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("automation_id", sa.Uuid(), nullable=True),
        sa.Column("automation_name", sa.String(length=200), nullable=False),
        sa.Column("action_index", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(length=40), nullable=False),
        sa.Column("trigger_key", sa.String(length=300), nullable=False),
        sa.Column("event", JSON, nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=True),
        sa.Column("test", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=True),
        sa.Column("claimed_until", TIMESTAMP, nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("delivered_at", TIMESTAMP, nullable=True),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["automation_id"],
            ["automation.id"],
            name=op.f("fk_notification__automation_id__automation"),
            ondelete="SET NULL",
        ),
        _tenant_fk("notification"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint(
            "automation_id",
            "action_index",
            "trigger_key",
            name=op.f("uq_notification__automation_id_action_index_trigger_key"),
        ),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification__status_next_attempt_at"),
            ["status", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_notification__tenant_id_created"), ["tenant_id", "created"], unique=False
        )

    op.create_table(
        "notification_attempt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("started", TIMESTAMP, nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_notification_attempt__notification_id__notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_attempt")),
    )
    with op.batch_alter_table("notification_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_attempt__notification_id_number"),
            ["notification_id", "number"],
            unique=False,
        )

    op.create_table(
        "flow_sla",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("flow_group_id", sa.Uuid(), nullable=False),
        sa.Column("late_start_seconds", sa.Float(), nullable=True),
        sa.Column("long_run_seconds", sa.Float(), nullable=True),
        sa.Column("missed_run_seconds", sa.Float(), nullable=True),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["flow_group_id"],
            ["flow_group.id"],
            name=op.f("fk_flow_sla__flow_group_id__flow_group"),
            ondelete="CASCADE",
        ),
        _tenant_fk("flow_sla"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_sla")),
        sa.UniqueConstraint("flow_group_id", name=op.f("uq_flow_sla__flow_group_id")),
    )

    op.create_table(
        "sla_breach",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("flow_group_id", sa.Uuid(), nullable=False),
        sa.Column("flow_run_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("threshold_seconds", sa.Float(), nullable=False),
        sa.Column("expected_at", TIMESTAMP, nullable=False),
        sa.Column("detected", TIMESTAMP, nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["flow_group_id"],
            ["flow_group.id"],
            name=op.f("fk_sla_breach__flow_group_id__flow_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flow_run_id"],
            ["flow_run.id"],
            name=op.f("fk_sla_breach__flow_run_id__flow_run"),
            ondelete="SET NULL",
        ),
        _tenant_fk("sla_breach"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_breach")),
        sa.UniqueConstraint(
            "flow_group_id",
            "kind",
            "subject",
            name=op.f("uq_sla_breach__flow_group_id_kind_subject"),
        ),
    )
    with op.batch_alter_table("sla_breach", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sla_breach__tenant_id_detected"), ["tenant_id", "detected"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sla_breach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sla_breach__tenant_id_detected"))
    op.drop_table("sla_breach")
    op.drop_table("flow_sla")
    with op.batch_alter_table("notification_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_attempt__notification_id_number"))
    op.drop_table("notification_attempt")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification__tenant_id_created"))
        batch_op.drop_index(batch_op.f("ix_notification__status_next_attempt_at"))
    op.drop_table("notification")
    with op.batch_alter_table("automation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_automation__tenant_id_enabled"))
    op.drop_table("automation")
    _create_initial_tables()


def _drop_initial_tables() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification__status_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_notification__automation_id"))
    op.drop_table("notification")
    with op.batch_alter_table("automation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_automation__tenant_id_enabled"))
    op.drop_table("automation")


def _create_initial_tables() -> None:
    """The two tables as revision 0001 made them."""
    op.create_table(
        "automation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("trigger", JSON, nullable=False),
        sa.Column("action", JSON, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        _tenant_fk("automation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation")),
    )
    with op.batch_alter_table("automation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_automation__tenant_id_enabled"), ["tenant_id", "enabled"], unique=False
        )
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("automation_id", sa.Uuid(), nullable=True),
        sa.Column("event", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=True),
        sa.Column("delivered_at", TIMESTAMP, nullable=True),
        sa.Column("created", TIMESTAMP, nullable=False),
        sa.Column("updated", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["automation_id"],
            ["automation.id"],
            name=op.f("fk_notification__automation_id__automation"),
            ondelete="SET NULL",
        ),
        _tenant_fk("notification"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification__automation_id"), ["automation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notification__status_next_attempt_at"),
            ["status", "next_attempt_at"],
            unique=False,
        )
