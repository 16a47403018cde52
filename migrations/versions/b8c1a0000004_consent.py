"""family consent requests and declaration notices (issue 8, SPEC I7, P10)

Revision ID: b8c1a0000004
Revises: b8c1a0000003
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000004'
down_revision = 'b8c1a0000003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
