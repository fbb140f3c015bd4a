def post_init_hook(env):
    """On a database with the collection demo: the individuals' first reminder gets an SMS text (the schedule does
    not send it: new companies copy these levels), and Aurélie Colin is followed up by SMS now. The SMS stays queued
    until the SMS queue runs; without Odoo's IAP service (no internet), it then shows in error, as SMS would on a
    database without SMS credits."""
    core = env["ir.module.module"].search([("name", "=", "recouvrement_creances")])
    debtor = env.ref("recouvrement_creances.partner_particulier_colin", raise_if_not_found=False)
    if not core.demo or not debtor:
        return
    level = env.ref("recouvrement_creances.level_b2c_reminder_1")
    level.with_context(lang="en_US").sms_text = "{company}: {amount} overdue. Pay or contact us: {link}"
    level.update_field_translations(
        "sms_text",
        {
            "en_US": "{company}: {amount} overdue. Pay or contact us: {link}",
            "fr_FR": "{company} : {amount} restent dus. Payez ou contactez-nous : {link}",
        },
    )
    company = env.ref("base.main_company")
    wizard = env["recouvrement.follow.up.wizard"].with_company(company)
    values = wizard._values_for_partner(debtor)
    wizard = wizard.create(
        {**values, "level_id": level.id, "send_email": False, "send_letter": False, "send_sms": True}
    )
    wizard._prepare_actions().action_execute()
