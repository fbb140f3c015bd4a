"""Renders the collection documents of the demo database, as PDF and as PNG pages, to look at them:
a first reminder letter, a mise en demeure as it was sent (the PDF kept on its action), the statement of
account of Fromagerie de Savoie, the payment plan agreement of Studio Photo Fourvière, and for the case of
Fromagerie de Savoie its injunction request file and its evidence file.

    python render_letters.py ODOO_CONF DATABASE OUTDIR
"""

import os
import subprocess
import sys

from odoo_env import odoo_env


def main():
    conf, dbname, outdir = sys.argv[1:4]
    os.makedirs(outdir, exist_ok=True)
    with odoo_env(conf, dbname) as env:
        actions = env["recouvrement.action"]
        savoie = env.ref("recouvrement_creances.partner_fromagerie_savoie")
        letter = env.ref("recouvrement_creances.action_report_collection_letter")
        statement = env.ref("recouvrement_creances.action_report_collection_statement")
        agreement = env.ref("recouvrement_creances.action_report_payment_plan_agreement")
        plan = env.ref("recouvrement_creances.demo_invoice_studio_1").collection_payment_plan_ids[:1]
        reminder = actions.search([("level_id.offset_days", "=", 14), ("state", "in", ("pending", "done"))], limit=1)
        notice = actions.search([("channel", "=", "registered_letter"), ("letter_attachment_id", "!=", False)], limit=1)
        case = savoie.collection_case_ids[:1]
        request = env.ref("recouvrement_creances.action_report_case_court_request")
        if not reminder or not notice or not plan or not case:
            raise SystemExit(f"{dbname} lacks a reminder, a formal notice, a plan or a case: is it the demo database?")
        documents = {
            "first_reminder": letter.with_context(lang=reminder.partner_id.lang)._render_qweb_pdf(
                letter.report_name, reminder.ids
            )[0],
            "mise_en_demeure": notice.letter_attachment_id.raw,
            "statement": statement.with_context(lang=savoie.lang)._render_qweb_pdf(statement.report_name, savoie.ids)[
                0
            ],
            "payment_plan_agreement": agreement._render_qweb_pdf(agreement.report_name, plan.ids)[0],
            "injunction_request": request.with_context(lang=case.company_id.partner_id.lang)._render_qweb_pdf(
                request.report_name, case.ids
            )[0],
            "evidence_file": case._generate_evidence(),
        }
        env.cr.rollback()  # rendering a letter may give an invoice its portal token: keep the demo as it is
    for name, pdf in documents.items():
        path = os.path.join(outdir, f"{name}.pdf")
        with open(path, "wb") as file:
            file.write(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-png", path, os.path.join(outdir, name)], check=True)
        print(path)


if __name__ == "__main__":
    main()
