"""login sessions: logout ends a session server-side (issue 8, SPEC I4a)

Revision ID: b8c1a0000001
Revises: ab2ac1bb8846
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000001'
down_revision = 'ab2ac1bb8846'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
