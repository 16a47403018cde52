"""real-name verification records; verified names (issue 8, SPEC I6)

Revision ID: b8c1a0000003
Revises: b8c1a0000002
Create Date: 2026-12-02 08:00:00

People existing before this revision keep name_verified_at NULL: their name is confirmed by the
real-name source at their next login. Bindings made before it have typed_name '' (no claim recorded).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000003'
down_revision = 'b8c1a0000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('realname_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_type', sa.String(length=16), nullable=False),
    sa.Column('id_number', sa.String(length=255), nullable=False),
    sa.Column('id_masked', sa.String(length=32), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.Column('phone_masked', sa.String(length=16), nullable=False),
    sa.Column('household_hash', sa.String(length=64), nullable=True),
    sa.Column('household_masked', sa.String(length=32), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('father_hash', sa.String(length=64), nullable=True),
    sa.Column('mother_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_realname_record')),
    sa.UniqueConstraint('id_type', 'id_hash', name=op.f('uq_realname_record_id_type_id_hash'))
    )
    with op.batch_alter_table('realname_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_realname_record_household_hash'), ['household_hash'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_verified_at', sa.DateTime(), nullable=True))

    for table in ('proxy_binding', 'membership', 'family_member'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('typed_name', sa.String(length=50), nullable=False, server_default=''))


def downgrade():
    for table in ('family_member', 'membership', 'proxy_binding'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('typed_name')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('name_verified_at')

    with op.batch_alter_table('realname_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_realname_record_household_hash'))

    op.drop_table('realname_record')
