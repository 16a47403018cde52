"""family consent requests and declaration notices (issue 8, SPEC I7, P10)

Revision ID: b8c1a0000004
Revises: b8c1a0000003
Create Date: 2026-12-02 08:00:00

Links made before this revision were made without the member's consent: they become "pending"
(no access) until the member agrees on their own account or the owner adds them again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c1a0000004'
down_revision = 'b8c1a0000003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='pending'))
        batch_op.add_column(sa.Column('consent', sa.String(length=12), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('consented_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_family_member_member_id'), ['member_id'], unique=False)

    op.create_table('family_consent_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_member.id'],
                            name=op.f('fk_family_consent_code_family_member_id_family_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_consent_code'))
    )
    with op.batch_alter_table('family_consent_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_consent_code_family_member_id'), ['family_member_id'],
                              unique=False)

    op.create_table('declaration_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_declaration_notice_actor_id_person')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_declaration_notice_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_declaration_notice_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_notice'))
    )
    with op.batch_alter_table('declaration_notice', schema=None) as batch_op:
        batch_op.create_index('ix_declaration_notice_person_read', ['person_id', 'read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('declaration_notice', schema=None) as batch_op:
        batch_op.drop_index('ix_declaration_notice_person_read')
    op.drop_table('declaration_notice')

    with op.batch_alter_table('family_consent_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_consent_code_family_member_id'))
    op.drop_table('family_consent_code')

    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_member_member_id'))
        batch_op.drop_column('consented_at')
        batch_op.drop_column('consent')
        batch_op.drop_column('status')
