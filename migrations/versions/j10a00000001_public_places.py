"""公共场所: places, inspectors, 葵花码 posters, admin hand-overs; temperature checks of a place (issue 10)

Revision ID: j10a00000001
Revises: i9b1a0000001
Create Date: 2026-12-02 14:00:00

place (one admin ↔ one place: admin_id unique), place_staff (inspectors), place_poster (the 葵花码 token
and the retired ones), place_handover (更换绑定). temperature_check gains the place, the inspector, the
method (scan / checkin), sex and birth year copied at write time, the local day and hour (statistics
group plain columns), supersedes_id (FAQ 12: a re-check corrects, never edits) and form_key.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'j10a00000001'
down_revision = 'i9b1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=255), nullable=False),
    sa.Column('phone_masked', sa.String(length=16), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['admin_id'], ['person.id'], name=op.f('fk_place_admin_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('admin_id', name=op.f('uq_place_admin_id')),
    sa.UniqueConstraint('code', name=op.f('uq_place_code'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_area_code'), ['area_code'], unique=False)

    op.create_table('place_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('bound_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_place_staff_person_id_person')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_place_staff_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_staff')),
    sa.UniqueConstraint('place_id', 'person_id', name=op.f('uq_place_staff_place_id_person_id'))
    )
    with op.batch_alter_table('place_staff', schema=None) as batch_op:
        batch_op.create_index('ix_place_staff_person', ['person_id', 'active'], unique=False)

    op.create_table('place_poster',
    sa.Column('token', sa.String(length=16), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('place_name', sa.String(length=50), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('retired_reason', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_place_poster_place_id_place')),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_place_poster'))
    )
    with op.batch_alter_table('place_poster', schema=None) as batch_op:
        batch_op.create_index('ix_place_poster_place', ['place_id', 'retired_at'], unique=False)

    op.create_table('place_handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('from_id', sa.Integer(), nullable=False),
    sa.Column('to_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['from_id'], ['person.id'], name=op.f('fk_place_handover_from_id_person')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_place_handover_place_id_place')),
    sa.ForeignKeyConstraint(['to_id'], ['person.id'], name=op.f('fk_place_handover_to_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_handover'))
    )
    with op.batch_alter_table('place_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_handover_place_id'), ['place_id'], unique=False)
        batch_op.create_index('ix_place_handover_to', ['to_id', 'decided_at'], unique=False)

    with op.batch_alter_table('temperature_check', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('inspector_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('method', sa.String(length=10), server_default='scan', nullable=False))
        batch_op.add_column(sa.Column('sex', sa.String(length=1), server_default='', nullable=False))
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('local_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('local_hour', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('form_key', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_temperature_check_place_id_place'), 'place', ['place_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_temperature_check_inspector_id_person'), 'person',
                                    ['inspector_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_temperature_check_supersedes_id_temperature_check'),
                                    'temperature_check', ['supersedes_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_temperature_check_form_key'), ['form_key'])
        batch_op.create_index('ix_temperature_check_place_day', ['place_id', 'local_day'], unique=False)
        batch_op.create_index('ix_temperature_check_inspector', ['inspector_id', 'local_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_temperature_check_supersedes_id'), ['supersedes_id'], unique=False)


def downgrade():
    with op.batch_alter_table('temperature_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_temperature_check_supersedes_id'))
        batch_op.drop_index('ix_temperature_check_inspector')
        batch_op.drop_index('ix_temperature_check_place_day')
        batch_op.drop_constraint(batch_op.f('uq_temperature_check_form_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_temperature_check_supersedes_id_temperature_check'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_temperature_check_inspector_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_temperature_check_place_id_place'), type_='foreignkey')
        for column in ('form_key', 'supersedes_id', 'local_hour', 'local_day', 'birth_year', 'sex', 'method',
                       'inspector_id', 'place_id'):
            batch_op.drop_column(column)
    with op.batch_alter_table('place_handover', schema=None) as batch_op:
        batch_op.drop_index('ix_place_handover_to')
        batch_op.drop_index(batch_op.f('ix_place_handover_place_id'))
    op.drop_table('place_handover')
    with op.batch_alter_table('place_poster', schema=None) as batch_op:
        batch_op.drop_index('ix_place_poster_place')
    op.drop_table('place_poster')
    with op.batch_alter_table('place_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_place_staff_person')
    op.drop_table('place_staff')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_area_code'))
    op.drop_table('place')
