from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    collection_penalty_id = fields.Many2one(
        "recouvrement.penalty",
        string="Penalties Charged",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="On a penalty invoice: the late invoice and period this line charges.",
    )

    # The posted lines by account and date, with what the dashboard sums of the receivable ones (balances and
    # sales by month, what was not yet due at each month's end): read from this index alone.
    _recouvrement_history_idx = models.Index(
        "(account_id, date) INCLUDE (company_id, partner_id, journal_id, balance, date_maturity, id) "
        "WHERE parent_state = 'posted'"
    )
    # The open items, with what the aged balance and the dashboard read of them: read from this index alone
    # instead of scanning every journal item.
    _recouvrement_open_item_idx = models.Index(
        "(company_id, partner_id) INCLUDE (id, move_id, account_id, date_maturity, date, amount_residual, "
        "parent_state) WHERE reconciled IS NOT TRUE AND amount_residual != 0"
    )
