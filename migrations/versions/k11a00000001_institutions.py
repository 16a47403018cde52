"""组织机构: institutions, their members, the members' daily declarations (issue 11 items 1–3)

Revision ID: k11a00000001
Revises: j10a00000001
Create Date: 2026-12-03 10:00:00

institution (one admin ↔ one institution: admin_id unique; the 组织机构申报码 unique), institution_member
(a member's binding, revived on binding again), institution_declaration (the institution's other fields of a
member's day, beside the personal_declaration it belongs to).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'k11a00000001'
down_revision = 'j10a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('institution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('phone', sa.String(length=255), nullable=False),
    sa.Column('phone_masked', sa.String(length=16), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['admin_id'], ['person.id'], name=op.f('fk_institution_admin_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution')),
    sa.UniqueConstraint('admin_id', name=op.f('uq_institution_admin_id')),
    sa.UniqueConstraint('code', name=op.f('uq_institution_code'))
    )

    op.create_table('institution_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('bound_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'],
                            name=op.f('fk_institution_member_institution_id_institution')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_institution_member_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_member')),
    sa.UniqueConstraint('institution_id', 'person_id', name=op.f('uq_institution_member_institution_id_person_id'))
    )
    with op.batch_alter_table('institution_member', schema=None) as batch_op:
        batch_op.create_index('ix_institution_member_person', ['person_id', 'active'], unique=False)

    op.create_table('institution_declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('personal_id', sa.Integer(), nullable=False),
    sa.Column('on_duty', sa.Boolean(), nullable=False),
    sa.Column('work_place', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'],
                            name=op.f('fk_institution_declaration_institution_id_institution')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_institution_declaration_person_id_person')),
    sa.ForeignKeyConstraint(['personal_id'], ['personal_declaration.id'],
                            name=op.f('fk_institution_declaration_personal_id_personal_declaration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_declaration')),
    sa.UniqueConstraint('personal_id', name=op.f('uq_institution_declaration_personal_id'))
    )
    with op.batch_alter_table('institution_declaration', schema=None) as batch_op:
        batch_op.create_index('ix_institution_declaration_day', ['institution_id', 'day', 'person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('institution_declaration', schema=None) as batch_op:
        batch_op.drop_index('ix_institution_declaration_day')
    op.drop_table('institution_declaration')
    with op.batch_alter_table('institution_member', schema=None) as batch_op:
        batch_op.drop_index('ix_institution_member_person')
    op.drop_table('institution_member')
    op.drop_table('institution')
