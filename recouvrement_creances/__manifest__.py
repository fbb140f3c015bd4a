{
    "name": "Recouvrement de créances",
    "summary": "Debt collection for French companies: dunning, penalties, payment plans, legal stages",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Recouvrement de créances",
    "depends": ["account", "mail", "portal"],
    "data": [
        "security/recouvrement_security.xml",
        "views/account_move_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/account_move_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "recouvrement_creances/static/tests/tours/*.js",
        ],
    },
}
