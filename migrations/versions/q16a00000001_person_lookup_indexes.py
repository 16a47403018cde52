"""A person's rows found by index: 注销账号 and 我的数据 (issue 16 items 1, 2)

Revision ID: q16a00000001
Revises: p15a00000001
Create Date: 2026-12-06 09:00:00

The 注销账号 page counts, and the deletion rewrites, a person's report entries, the door-to-door visits about them
(linked or by 证件 hash) and the declarations they filled for someone else; without these indexes each was a scan of
the whole table. The declaration indexes are partial (actor_id <> person_id: declarations made for others only), so
the hot self-declaration INSERT writes no index entry; SQLite and PostgreSQL both support them. audit_log.actor_id
is deliberately not indexed (bulk inserts on every list screen): the page does not count by it, and the rare
deletion scans it once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'q16a00000001'
down_revision = 'p15a00000001'
branch_labels = None
depends_on = None

FOR_OTHERS = sa.text('actor_id <> person_id')


def upgrade():
    with op.batch_alter_table('grid_visit', schema=None) as batch_op:
        batch_op.create_index('ix_grid_visit_person', ['person_id'], unique=False)
        batch_op.create_index('ix_grid_visit_id_hash', ['id_hash'], unique=False)
    with op.batch_alter_table('report_entry', schema=None) as batch_op:
        batch_op.create_index('ix_report_entry_person_id', ['person_id'], unique=False)
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index('ix_declaration_actor_for_others', ['actor_id'], unique=False,
                              sqlite_where=FOR_OTHERS, postgresql_where=FOR_OTHERS)
    with op.batch_alter_table('personal_declaration', schema=None) as batch_op:
        batch_op.create_index('ix_personal_declaration_actor_for_others', ['actor_id'], unique=False,
                              sqlite_where=FOR_OTHERS, postgresql_where=FOR_OTHERS)


def downgrade():
    with op.batch_alter_table('personal_declaration', schema=None) as batch_op:
        batch_op.drop_index('ix_personal_declaration_actor_for_others')
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.drop_index('ix_declaration_actor_for_others')
    with op.batch_alter_table('report_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_report_entry_person_id')
    with op.batch_alter_table('grid_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_visit_id_hash')
        batch_op.drop_index('ix_grid_visit_person')
