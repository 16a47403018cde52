"""站内消息: a message to one person, e.g. that a grid they worked for was dissolved (issue 12 item 3)

Revision ID: l12a00000002
Revises: l12a00000001
Create Date: 2026-12-02 16:50:00

message references its person only: the grid it tells of is deleted for good (解散网格).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'l12a00000002'
down_revision = 'l12a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_message_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_person_read', ['person_id', 'read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_person_read')

    op.drop_table('message')
