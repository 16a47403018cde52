"""yks_web: the 粤省事 epidemic-prevention services as a Flask + HTMX mobile web app."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from yks_web import pg_transactions, privacy, sqlite_tuning  # noqa: F401  (sqlite_tuning registers the SQLite pragmas)
from yks_web.config import from_environment, missing_secrets, missing_secrets_error
from yks_web.converters import IdConverter
from yks_web.extensions import csrf, db, htmx, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    missing = missing_secrets(app.config)
    if missing:  # one line on the command line, not a traceback (issue 9 item 9)
        raise missing_secrets_error(missing)

    if app.config.get("TRUSTED_PROXIES"):
        # Behind a load balancer the client address (SMS rate limits) comes from X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["TRUSTED_PROXIES"]), x_proto=1)

    app.url_map.converters["int"] = IdConverter
    privacy.configure(app.config["DATA_KEY"], app.config["LOOKUP_KEY"])
    pg_transactions.configure(app.config)
    db.init_app(app)
    with app.app_context():
        pg_transactions.init_app(app, db.engine)  # PostgreSQL: BEGIN only before a write or a lock
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)

    from yks_web import access_setup, auth_setup, cli, errors, health_setup, security_headers, sms_setup

    auth_setup.init_app(app)
    from yks_web import i18n_setup

    i18n_setup.init_app(app)  # 简体中文, 繁體中文, English: Flask-Babel and the language of each request (issue 15)
    security_headers.init_app(app)  # CSP, frame-ancestors, nosniff, HSTS on every response (issue 8 item 5)
    sms_setup.init_app(app)
    health_setup.init_app(app)
    from yks_web import realname_setup

    realname_setup.init_app(app)  # the real-name verification source (issue 8 item 1)
    errors.init_app(app)
    access_setup.init_app(app)  # every endpoint's roles (issue 8 item 12)
    cli.init_app(app)

    from yks_web.blueprints import (
        access_log,
        account,
        areas,
        auth,
        checkin,
        declare,
        delegates,
        family,
        grid,
        group,
        health_code,
        home,
        institution,
        invite,
        language,
        medical,
        my_data,
        notice,
        operator,
        operator_districts,  # noqa: F401  (its routes live on operator.bp: 区划管理员管理, issue 12 item 1)
        operator_medical,  # noqa: F401  (its routes live on operator.bp: 医护人员管理, issue 11 item 4)
        places,
        school,
        workbench,
    )

    for blueprint in (
        auth.bp, health_code.bp, declare.bp, family.bp, home.bp, invite.bp, operator.bp, school.bp, workbench.bp,
        access_log.bp,  # 查阅记录 (issue 8 item 9)
        delegates.bp,  # 谁可以代我操作, 代申报通知 (issue 8 item 2)
        areas.bp,  # 所在区域 picker (SPEC O0)
        places.bp,  # 公共场所 (issue 10)
        checkin.bp,  # 葵花码 体温正常快速打卡 at /p/<token> (issue 10 item 5)
        institution.bp,  # 组织机构成员健康申报 (issue 11)
        medical.bp,  # 医护人员 出具解除医学观察电子告知书 (issue 11 items 4–6)
        notice.bp,  # /n/<number>: a notice's public verification, the person's PDF (issue 11 item 6)
        grid.bp,  # 网格: 网格管理员, 区划管理员 (issue 12)
        group.bp,  # 团体码 (issue 13)
        language.bp,  # the language switch (issue 15)
        account.bp,  # 注销账号 (issue 16 item 2)
        my_data.bp,  # 我的数据 (issue 16 item 1)
    ):
        app.register_blueprint(blueprint)

    from yks_web import template_helpers

    template_helpers.init_app(app)
    return app
