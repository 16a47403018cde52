"""reminders (issue 16 item 4): 每日提醒时间 and the log of every reminder sent

Revision ID: o16a00000001
Revises: n14a00000001
Create Date: 2026-12-04 09:00:00

reminder_setting: an organisation's daily reminder time (no row: 不提醒) and the first day it is sent.
reminder_log: one member reminded on one day in one slot ("daily", or "h10" for a 一键提醒 in the 10 o'clock
hour); its unique key is what keeps two app nodes (or two clicks) from reminding anyone twice.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'o16a00000001'
down_revision = 'n14a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('remind_at', sa.Time(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_reminder_setting_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_setting')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_reminder_setting_organisation_id'))
    )
    op.create_table('reminder_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot', sa.String(length=8), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_reminder_log_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_reminder_log_person_id_person')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['person.id'], name=op.f('fk_reminder_log_sent_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('organisation_id', 'person_id', 'day', 'slot',
                        name=op.f('uq_reminder_log_organisation_id_person_id_day_slot'))
    )


def downgrade():
    op.drop_table('reminder_log')
    op.drop_table('reminder_setting')
