"""rate events for look-up limits; audit rows name the reader's role (issue 8, SPEC P6, P10)

Revision ID: b8c1a0000002
Revises: b8c1a0000001
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000002'
down_revision = 'b8c1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_event'))
    )
    with op.batch_alter_table('rate_event', schema=None) as batch_op:
        batch_op.create_index('ix_rate_event_kind_key_at', ['kind', 'key', 'at'], unique=False)

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('context', sa.String(length=100), nullable=False, server_default=''))
        batch_op.create_index('ix_audit_log_subject_at', ['subject_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_subject_at')
        batch_op.drop_column('context')
        batch_op.drop_column('role')

    with op.batch_alter_table('rate_event', schema=None) as batch_op:
        batch_op.drop_index('ix_rate_event_kind_key_at')

    op.drop_table('rate_event')
