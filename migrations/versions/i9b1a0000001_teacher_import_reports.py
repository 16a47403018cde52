"""the result of a 外籍教师 导入 as a page of its own (issue 9 item 2, SPEC W10)

Revision ID: i9b1a0000001
Revises: b8c1a0000005
Create Date: 2026-12-09 09:00:00

teacher_import_report: 导入 stores its per-row report here and redirects (303) to a result page that
reads it, so a reload shows the report again instead of a 405. Kept a day.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i9b1a0000001'
down_revision = 'b8c1a0000005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('teacher_import_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_teacher_import_report_person_id_person')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_teacher_import_report_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teacher_import_report'))
    )
    with op.batch_alter_table('teacher_import_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teacher_import_report_school_id'), ['school_id'], unique=False)


def downgrade():
    with op.batch_alter_table('teacher_import_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teacher_import_report_school_id'))
    op.drop_table('teacher_import_report')
