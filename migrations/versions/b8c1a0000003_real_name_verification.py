"""real-name verification records; verified names (issue 8, SPEC I6)

Revision ID: b8c1a0000003
Revises: b8c1a0000002
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000003'
down_revision = 'b8c1a0000002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
