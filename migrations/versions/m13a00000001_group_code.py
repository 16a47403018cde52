"""团体码: groups, their members (with the snapshot of the last 刷新数据), invitations and consents (issue 13;
SPEC G1–G6); 检测时间 and 数据来源 of a nucleic-acid test (G4)

Revision ID: m13a00000001
Revises: l12a00000002
Create Date: 2026-12-02 17:15:00

group_code (the table of groups: "group" is an SQL keyword), group_member (role creator/admin/member, 我的备注,
the phone given at join, the snapshot columns), group_invite (24-hour link token), group_consent (what was agreed
with which group, kept after the membership ends).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'm13a00000001'
down_revision = 'l12a00000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('allow_join', sa.Boolean(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['creator_id'], ['person.id'], name=op.f('fk_group_code_creator_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_code'))
    )
    with op.batch_alter_table('group_code', schema=None) as batch_op:
        batch_op.create_index('ix_group_code_creator', ['creator_id'], unique=False)

    op.create_table('group_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('group_name', sa.String(length=50), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('agreement_version', sa.String(length=20), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_reason', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['group_code.id'], name=op.f('fk_group_consent_group_id_group_code')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_group_consent_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_consent'))
    )
    with op.batch_alter_table('group_consent', schema=None) as batch_op:
        batch_op.create_index('ix_group_consent_group', ['group_id', 'ended_at'], unique=False)
        batch_op.create_index('ix_group_consent_person', ['person_id', 'ended_at'], unique=False)

    op.create_table('group_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_group_invite_created_by_id_person')),
    sa.ForeignKeyConstraint(['group_id'], ['group_code.id'], name=op.f('fk_group_invite_group_id_group_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_invite')),
    sa.UniqueConstraint('token', name=op.f('uq_group_invite_token'))
    )
    with op.batch_alter_table('group_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_invite_group_id'), ['group_id'], unique=False)

    op.create_table('group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('remark', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=255), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('snapshot_at', sa.DateTime(), nullable=True),
    sa.Column('code_colour', sa.String(length=10), nullable=False),
    sa.Column('code_reason', sa.String(length=100), nullable=False),
    sa.Column('code_decided_at', sa.DateTime(), nullable=True),
    sa.Column('code_city', sa.String(length=50), nullable=False),
    sa.Column('code_guidance', sa.String(length=1000), nullable=False),
    sa.Column('test_result', sa.String(length=10), nullable=False),
    sa.Column('test_sampled_at', sa.DateTime(), nullable=True),
    sa.Column('test_tested_at', sa.DateTime(), nullable=True),
    sa.Column('test_institution', sa.String(length=100), nullable=False),
    sa.Column('test_source', sa.String(length=50), nullable=False),
    sa.Column('test_window', sa.String(length=5), nullable=False),
    sa.Column('vaccine_doses', sa.Integer(), nullable=False),
    sa.Column('vaccine_last_on', sa.Date(), nullable=True),
    sa.Column('vaccine_records', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['group_code.id'], name=op.f('fk_group_member_group_id_group_code')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['person.id'], name=op.f('fk_group_member_invited_by_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_group_member_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_member')),
    sa.UniqueConstraint('group_id', 'person_id', name=op.f('uq_group_member_group_id_person_id'))
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index('ix_group_member_group_role', ['group_id', 'role'], unique=False)
        batch_op.create_index('ix_group_member_person', ['person_id'], unique=False)

    with op.batch_alter_table('nucleic_acid_test', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=50), server_default='广东省卫生健康委员会', nullable=False))



def downgrade():
    with op.batch_alter_table('nucleic_acid_test', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('tested_at')

    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index('ix_group_member_person')
        batch_op.drop_index('ix_group_member_group_role')

    op.drop_table('group_member')
    with op.batch_alter_table('group_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_invite_group_id'))

    op.drop_table('group_invite')
    with op.batch_alter_table('group_consent', schema=None) as batch_op:
        batch_op.drop_index('ix_group_consent_person')
        batch_op.drop_index('ix_group_consent_group')

    op.drop_table('group_consent')
    with op.batch_alter_table('group_code', schema=None) as batch_op:
        batch_op.drop_index('ix_group_code_creator')

    op.drop_table('group_code')
