"""网格: 区划管理员, grids, grid workers, admin hand-overs, door-to-door visits (issue 12; SPEC O6, O8)

Revision ID: l12a00000001
Revises: k11a00000002
Create Date: 2026-12-02 15:07:42

district_admin (an area's 区划管理员, appointed by the level above or the operator), grid (one admin ↔ one
grid: admin_id unique; pending until confirmed), grid_staff (网格员), grid_handover (管理员变更's one-time
link), grid_visit (one household visit; client_key is the offline client's idempotency key).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'l12a00000001'
down_revision = 'k11a00000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('district_admin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.Column('appointed_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['person.id'], name=op.f('fk_district_admin_appointed_by_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_district_admin_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_admin'))
    )
    with op.batch_alter_table('district_admin', schema=None) as batch_op:
        batch_op.create_index('ix_district_admin_area', ['area_code', 'revoked_at'], unique=False)
        batch_op.create_index('ix_district_admin_person', ['person_id', 'revoked_at'], unique=False)

    op.create_table('grid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reject_reason', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['admin_id'], ['person.id'], name=op.f('fk_grid_admin_id_person')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['person.id'], name=op.f('fk_grid_decided_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid')),
    sa.UniqueConstraint('admin_id', name=op.f('uq_grid_admin_id')),
    sa.UniqueConstraint('code', name=op.f('uq_grid_code'))
    )
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.create_index('ix_grid_area_status', ['area_code', 'status'], unique=False)

    op.create_table('grid_handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('from_id', sa.Integer(), nullable=False),
    sa.Column('successor_name', sa.String(length=50), nullable=False),
    sa.Column('successor_id_hash', sa.String(length=64), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['person.id'], name=op.f('fk_grid_handover_accepted_by_id_person')),
    sa.ForeignKeyConstraint(['from_id'], ['person.id'], name=op.f('fk_grid_handover_from_id_person')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_grid_handover_grid_id_grid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_handover')),
    sa.UniqueConstraint('token', name=op.f('uq_grid_handover_token'))
    )
    with op.batch_alter_table('grid_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_handover_grid_id'), ['grid_id'], unique=False)

    op.create_table('grid_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('authorised', sa.Boolean(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('bound_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_grid_staff_grid_id_grid')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_grid_staff_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_staff')),
    sa.UniqueConstraint('grid_id', 'person_id', name=op.f('uq_grid_staff_grid_id_person_id'))
    )
    with op.batch_alter_table('grid_staff', schema=None) as batch_op:
        batch_op.create_index('ix_grid_staff_person', ['person_id', 'active'], unique=False)

    op.create_table('grid_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_type', sa.String(length=16), nullable=False),
    sa.Column('id_number', sa.String(length=255), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=255), nullable=True),
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('temperature', sa.Numeric(precision=3, scale=1), nullable=True),
    sa.Column('has_symptoms', sa.Boolean(), nullable=False),
    sa.Column('risk_travel', sa.Boolean(), nullable=False),
    sa.Column('contact_case', sa.Boolean(), nullable=False),
    sa.Column('remarks', sa.String(length=200), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_grid_visit_grid_id_grid')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_grid_visit_person_id_person')),
    sa.ForeignKeyConstraint(['worker_id'], ['person.id'], name=op.f('fk_grid_visit_worker_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_visit')),
    sa.UniqueConstraint('client_key', name=op.f('uq_grid_visit_client_key'))
    )
    with op.batch_alter_table('grid_visit', schema=None) as batch_op:
        batch_op.create_index('ix_grid_visit_grid_day', ['grid_id', 'local_day'], unique=False)
        batch_op.create_index('ix_grid_visit_subject', ['grid_id', 'id_hash'], unique=False)
        batch_op.create_index('ix_grid_visit_worker_day', ['worker_id', 'local_day'], unique=False)



def downgrade():
    with op.batch_alter_table('grid_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_visit_worker_day')
        batch_op.drop_index('ix_grid_visit_subject')
        batch_op.drop_index('ix_grid_visit_grid_day')

    op.drop_table('grid_visit')
    with op.batch_alter_table('grid_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_staff_person')

    op.drop_table('grid_staff')
    with op.batch_alter_table('grid_handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_handover_grid_id'))

    op.drop_table('grid_handover')
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_area_status')

    op.drop_table('grid')
    with op.batch_alter_table('district_admin', schema=None) as batch_op:
        batch_op.drop_index('ix_district_admin_person')
        batch_op.drop_index('ix_district_admin_area')

    op.drop_table('district_admin')
