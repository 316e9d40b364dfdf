"""Partnerships, partners, their answers and assessments (issue 12).

Revision ID: 0001_partnerships
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_partnerships"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partnership",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("owner_token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_partnership_owner_token_hash", "partnership", ["owner_token_hash"])
    op.create_table(
        "partner",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("partnership_id", sa.String(64), sa.ForeignKey("partnership.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_partner_partnership_id", "partner", ["partnership_id"])
    op.create_index("ix_partner_token_hash", "partner", ["token_hash"])
    op.create_table(
        "answer",
        sa.Column("partner_id", sa.String(64), sa.ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("revision", sa.Integer, primary_key=True),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("in_place", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("partnership_id", sa.String(64), sa.ForeignKey("partnership.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("recommendation", sa.JSON, nullable=False),
        sa.Column("kb_version", sa.String(100), nullable=False),
        sa.Column("kb_digest", sa.String(64), nullable=False),
        sa.UniqueConstraint("partnership_id", "number", name="uq_assessment_partnership_id_number"),
    )
    op.create_index("ix_assessment_partnership_id", "assessment", ["partnership_id"])


def downgrade() -> None:
    op.drop_table("assessment")
    op.drop_table("answer")
    op.drop_table("partner")
    op.drop_table("partnership")
