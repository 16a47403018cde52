"""uploads and access (issue 8): reserved for schema needs of those items

Revision ID: b8c1a0000005
Revises: b8c1a0000004
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000005'
down_revision = 'b8c1a0000004'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
