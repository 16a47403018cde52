"""A person's latest declaration in an organisation in one index probe (issue 14 item 2)

Revision ID: n14a00000001
Revises: m13a00000001
Create Date: 2026-12-03 09:00:00

The declaration form and every submission read the person's latest declaration in the organisation
(max(id) by person and organisation). With an index on person_id alone that read visits every declaration the
person ever made; (person_id, organisation_id, id) answers it from the index, and serves the look-ups by
person_id as well, so it replaces ix_declaration_person_id.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'n14a00000001'
down_revision = 'm13a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index('ix_declaration_person_org_id', ['person_id', 'organisation_id', 'id'], unique=False)
        batch_op.drop_index('ix_declaration_person_id')


def downgrade():
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index('ix_declaration_person_id', ['person_id'], unique=False)
        batch_op.drop_index('ix_declaration_person_org_id')
