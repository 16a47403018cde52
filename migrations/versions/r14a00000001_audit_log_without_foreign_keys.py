"""audit_log without foreign keys: the list screens' bulk audit INSERT (issue 14 item 4)

Revision ID: r14a00000001
Revises: q16a00000001
Create Date: 2026-12-07 09:00:00

Every list screen writes one audit row per person shown, in one INSERT … SELECT FROM unnest (services/audit.py).
On PostgreSQL each row fired three foreign-key triggers (actor, subject, organisation), each a lookup and a FOR KEY
SHARE lock on the referenced row: for 500 rows the INSERT took ~17 ms with them and ~3.5 ms without (seeded bench
database, 1M audit rows). audit_log is an append-only record of reads, every id written is of a row the request has
just read, and 注销账号 repoints actor_id/subject_id to the deleted person's anonymous row, so the ids keep their
meaning without the constraints; the model keeps what they pointed to (info["references"]). SQLite does not enforce
foreign keys in this app, so there the change is only declarative. The downgrade creates them again under their
old names; on PostgreSQL it stops on a row naming a person or organisation that is gone (none should be: 注销账号
repoints the audit rows before it deletes the person, and nothing deletes an organisation).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'r14a00000001'
down_revision = 'q16a00000001'
branch_labels = None
depends_on = None

FOREIGN_KEYS = (  # (name, column, referred table)
    ('fk_audit_log_actor_id_person', 'actor_id', 'person'),
    ('fk_audit_log_subject_id_person', 'subject_id', 'person'),
    ('fk_audit_log_organisation_id_organisation', 'organisation_id', 'organisation'),
)


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        for name, _column, _referred in FOREIGN_KEYS:
            batch_op.drop_constraint(name, type_='foreignkey')


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        for name, column, referred in FOREIGN_KEYS:
            batch_op.create_foreign_key(name, referred, [column], ['id'])
