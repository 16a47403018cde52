"""a declarant's removal of a 代填人 lasts (issue 8 item 2, SPEC P10, S5, S6)

Revision ID: b8c1a0000005
Revises: b8c1a0000004
Create Date: 2026-12-02 09:00:00

ProxyBinding.removed_by_declarant_at: when the declarant removed the proxy on 谁可以代我操作. While it
is set, that proxy cannot bind that declarant again through an invite card. Bindings removed before
this revision cannot be told apart from a proxy's own 【删除申报人】 and stay empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000005'
down_revision = 'b8c1a0000004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proxy_binding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_by_declarant_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('proxy_binding', schema=None) as batch_op:
        batch_op.drop_column('removed_by_declarant_at')
