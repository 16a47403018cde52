"""The language a person chose (issue 15): 简体中文, 繁體中文 or English

Revision ID: p15a00000001
Revises: o16a00000001
Create Date: 2026-12-05 09:00:00

person.language: zh_Hans_CN, zh_Hant_HK or en, set by the language switch; NULL (everyone until they choose)
means the cookie's choice, else the browser's Accept-Language (yks_web/i18n_setup.py).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'p15a00000001'
down_revision = 'o16a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('language')
