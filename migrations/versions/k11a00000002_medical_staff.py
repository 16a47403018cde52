"""医护人员 and 医学观察; numbered, verifiable 解除医学观察电子告知书 (issue 11 items 4–6)

Revision ID: k11a00000002
Revises: k11a00000001
Create Date: 2026-12-03 12:00:00

medical_staff (表5-2 rows the operator enabled; phone encrypted + lookup hash), medical_staff_event (开通/撤销),
medical_import_report (an import's per-row result, PRG), medical_alert (daily cap reached, one a staff member a
day), medical_observation (the built-in health data's 医学观察, released by a notice), and observation_notice's
number, issuer, what it released and revoked_at.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'k11a00000002'
down_revision = 'k11a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('medical_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=255), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('phone_masked', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('position', sa.String(length=50), nullable=False),
    sa.Column('enabled_at', sa.DateTime(), nullable=False),
    sa.Column('enabled_by_id', sa.Integer(), nullable=True),
    sa.Column('enabled_via', sa.String(length=10), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['enabled_by_id'], ['person.id'], name=op.f('fk_medical_staff_enabled_by_id_person')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['person.id'], name=op.f('fk_medical_staff_revoked_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_staff'))
    )
    with op.batch_alter_table('medical_staff', schema=None) as batch_op:
        batch_op.create_index('ix_medical_staff_phone', ['phone_hash', 'revoked_at'], unique=False)

    op.create_table('medical_staff_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_medical_staff_event_actor_id_person')),
    sa.ForeignKeyConstraint(['staff_id'], ['medical_staff.id'],
                            name=op.f('fk_medical_staff_event_staff_id_medical_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_staff_event'))
    )
    with op.batch_alter_table('medical_staff_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medical_staff_event_staff_id'), ['staff_id'], unique=False)

    op.create_table('medical_import_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_medical_import_report_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_import_report'))
    )
    with op.batch_alter_table('medical_import_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medical_import_report_person_id'), ['person_id'], unique=False)

    op.create_table('medical_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('cap', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_medical_alert_person_id_person')),
    sa.ForeignKeyConstraint(['staff_id'], ['medical_staff.id'], name=op.f('fk_medical_alert_staff_id_medical_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_alert')),
    sa.UniqueConstraint('person_id', 'day', name=op.f('uq_medical_alert_person_id_day'))
    )
    with op.batch_alter_table('medical_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medical_alert_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('observation_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('issuer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('observed_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('released_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('remarks', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('form_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_observation_notice_number'), ['number'])
        batch_op.create_unique_constraint(batch_op.f('uq_observation_notice_form_key'), ['form_key'])
        batch_op.create_foreign_key(batch_op.f('fk_observation_notice_issuer_id_person'), 'person',
                                    ['issuer_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_observation_notice_staff_id_medical_staff'), 'medical_staff',
                                    ['staff_id'], ['id'])
        batch_op.create_index('ix_observation_notice_issuer_at', ['issuer_id', 'issued_at'], unique=False)

    op.create_table('medical_observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=50), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('released_notice_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'],
                            name=op.f('fk_medical_observation_created_by_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_medical_observation_person_id_person')),
    sa.ForeignKeyConstraint(['released_notice_id'], ['observation_notice.id'],
                            name=op.f('fk_medical_observation_released_notice_id_observation_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medical_observation'))
    )
    with op.batch_alter_table('medical_observation', schema=None) as batch_op:
        batch_op.create_index('ix_medical_observation_person', ['person_id', 'released_at'], unique=False)


def downgrade():
    with op.batch_alter_table('medical_observation', schema=None) as batch_op:
        batch_op.drop_index('ix_medical_observation_person')
    op.drop_table('medical_observation')

    with op.batch_alter_table('observation_notice', schema=None) as batch_op:
        batch_op.drop_index('ix_observation_notice_issuer_at')
        batch_op.drop_constraint(batch_op.f('fk_observation_notice_staff_id_medical_staff'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_observation_notice_issuer_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_observation_notice_form_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_observation_notice_number'), type_='unique')
        for column in ('revoked_at', 'form_key', 'remarks', 'released_on', 'observed_since', 'reason', 'staff_id',
                       'issuer_id', 'number'):
            batch_op.drop_column(column)

    with op.batch_alter_table('medical_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medical_alert_created_at'))
    op.drop_table('medical_alert')
    with op.batch_alter_table('medical_import_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medical_import_report_person_id'))
    op.drop_table('medical_import_report')
    with op.batch_alter_table('medical_staff_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medical_staff_event_staff_id'))
    op.drop_table('medical_staff_event')
    with op.batch_alter_table('medical_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_medical_staff_phone')
    op.drop_table('medical_staff')
