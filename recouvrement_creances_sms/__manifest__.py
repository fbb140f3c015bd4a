{
    "name": "Recouvrement de créances – SMS",
    "summary": "SMS reminders through Odoo's SMS: a level's text, sent to the customer's mobile, followed to delivery",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Recouvrement de créances",
    "depends": ["sms", "recouvrement_creances"],
    "auto_install": True,
    "data": [
        "views/recouvrement_level_views.xml",
        "views/recouvrement_action_views.xml",
        "views/recouvrement_follow_up_wizard_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
