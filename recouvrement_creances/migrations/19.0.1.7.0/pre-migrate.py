"""19.0.1.7.0: the addon's fields on the company read ``collection_*``, like those on customers and invoices. Their
columns, their field records and the ids of those records are renamed before the update, so that every value is
kept and nothing is created again."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, constraint_definition, rename_column

RENAMED = [
    "auto_run",
    "hold_on_limit",
    "sales_digest",
    "b2b_policy_id",
    "b2c_policy_id",
    "penalty_account_id",
    "indemnity_account_id",
    "legal_cost_fixed",
    "legal_cost_rate",
    "agency_rate",
    "doubtful_account_id",
    "impairment_account_id",
    "impairment_expense_account_id",
    "impairment_income_account_id",
    "write_off_account_id",
    "legal_form",
    "trade_register",
    "invoice_mention",
]


def migrate(cr, version):
    for name in RENAMED:
        old, new = f"recouvrement_{name}", f"collection_{name}"
        if not column_exists(cr, "res_company", old) or column_exists(cr, "res_company", new):
            continue
        rename_column(cr, "res_company", old, new)
        if constraint_definition(cr, "res_company", f"res_company_{old}_fkey"):
            cr.execute(
                SQL(
                    "ALTER TABLE res_company RENAME CONSTRAINT %s TO %s",
                    SQL.identifier(f"res_company_{old}_fkey"),
                    SQL.identifier(f"res_company_{new}_fkey"),
                )
            )
        cr.execute("UPDATE ir_model_fields SET name = %s WHERE model = 'res.company' AND name = %s", [new, old])
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE module = 'recouvrement_creances' AND model = 'ir.model.fields' "
            "AND name = %s",
            [f"field_res_company__{new}", f"field_res_company__{old}"],
        )
