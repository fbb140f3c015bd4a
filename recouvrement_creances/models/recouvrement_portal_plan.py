import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..tools.schedule import ScheduleError, build_schedule, due_dates


class RecouvrementPortal(models.AbstractModel):
    """The payment plan a debtor proposes and signs on the portal."""

    _inherit = "recouvrement.portal"

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------

    @api.model
    def _propose_plan(self, partner, move_ids, installment_count, down_payment_rate, first_date, ip_address):
        """Build the plan the debtor asks for on the chosen invoices (their residual, computed here). Within the
        policy's limits it is accepted at once (proposed, to sign); beyond them it waits for the collector."""
        moves = self._documents_of(partner, move_ids).filtered(lambda move: move.move_type == "out_invoice")
        Plan = self.env["recouvrement.payment.plan"]
        policy = self._policy(partner)
        message = self.env._("Give a number of installments, a down payment and a first date.")
        rate = self._number(down_payment_rate or 0.0, message)
        try:
            count = int(installment_count)
            first = fields.Date.to_date(first_date)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(message) from None
        if not first or count < 1 or not 0 <= rate < 100:
            raise ValidationError(
                self.env._("Give at least one installment, a down payment from 0 to less than 100 %, and a first date.")
            )
        if count > policy.portal_plan_max_installments:
            raise ValidationError(self.env._("Choose at most %s installments.", policy.portal_plan_max_installments))
        today = fields.Date.context_today(self)
        last_first = self._last_first_date(policy)
        if not today <= first <= last_first:
            raise ValidationError(
                self.env._(
                    "Choose a first payment date from %(today)s to %(last)s.",
                    today=format_date(self.env, today),
                    last=format_date(self.env, last_first),
                )
            )
        residual = sum(moves.mapped("amount_residual"))
        Plan._check_coverable(moves, residual, first)
        currency = moves.currency_id
        plan = Plan.create(
            {
                "company_id": self.env.company.id,
                "partner_id": partner.commercial_partner_id.id,
                "currency_id": currency.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "frequency": "monthly",
                "amount_covered": residual,
                "portal_proposed": True,
                "line_ids": [
                    fields.Command.create({"date_due": day, "amount": amount, "interest": interest})
                    for day, amount, interest in self._schedule(currency.round(residual), count, rate, first, currency)
                ],
            }
        )
        breaches = self._plan_breaches(plan, policy, rate)
        content = Markup("<p>%s</p>") % self.env._(
            "Plan of %(count)s installments proposed on the portal, %(amount)s in all, first due %(date)s.",
            count=len(plan.line_ids),
            amount=currency.format(plan.amount_total),
            date=format_date(self.env, plan.line_ids[:1].date_due),
        )
        if breaches:
            content += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Beyond the policy's limits, it awaits a collector's approval:"),
                Markup().join(Markup("<li>%s</li>") % breach for breach in breaches),
            )
            plan.message_post(body=content)
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Approve or refuse the payment plan proposed on the portal"),
                note=content,
                user_id=self._collector(partner).id,
            )
        else:
            plan.action_propose()
            plan.message_post(body=content + Markup("<p>%s</p>") % self.env._("Within the policy's limits: accepted."))
        self.env["recouvrement.action"]._log_portal(partner, "plan", content, moves, ip_address, currency)
        return plan

    @api.model
    def _schedule(self, amount, count, down_payment_rate, first, currency):
        """[(due date, amount, interest)] of the plan the debtor asks for: ``count`` monthly payments from
        ``first``, the first of them a down payment of ``down_payment_rate`` % (a single payment is the whole
        amount), the others equal."""
        down_payment = currency.round(amount * down_payment_rate / 100) if count > 1 else 0.0
        down = [(first, down_payment, 0.0)] if down_payment else []
        try:
            return down + build_schedule(
                currency.round(amount - down_payment),
                due_dates(first, 2, "monthly")[1] if down else first,
                count=count - 1 if down else count,
                rounding=currency.rounding,
                start=fields.Date.context_today(self),
            )
        except ScheduleError:
            raise ValidationError(self.env._("This plan cannot be built: choose fewer installments.")) from None

    @api.model
    def _plan_breaches(self, plan, policy, down_payment_rate):
        """What in the plan goes beyond the portal limits of ``policy`` (empty: the plan is accepted)."""
        currency = plan.currency_id
        lines = plan.line_ids.sorted("date_due")
        breaches = []
        if len(lines) > 1 and down_payment_rate < policy.portal_plan_min_down_payment:
            breaches.append(
                self.env._(
                    "A down payment of %(rate)s %%, at least %(limit)s %%.",
                    rate=round(down_payment_rate, 2),
                    limit=round(policy.portal_plan_min_down_payment, 2),
                )
            )
        last_allowed = fields.Date.add(fields.Date.context_today(self), months=policy.portal_plan_max_months)
        if lines[-1:].date_due and lines[-1].date_due > last_allowed:
            breaches.append(
                self.env._(
                    "Last installment on %(date)s, at most %(months)s months ahead.",
                    date=format_date(self.env, lines[-1].date_due),
                    months=policy.portal_plan_max_months,
                )
            )
        smallest = min(lines.mapped("amount"), default=0.0)
        if currency.compare_amounts(smallest, policy.portal_plan_min_amount) < 0:
            breaches.append(
                self.env._(
                    "An installment of %(amount)s, at least %(limit)s.",
                    amount=currency.format(smallest),
                    limit=currency.format(policy.portal_plan_min_amount),
                )
            )
        return breaches

    @api.model
    def _last_first_date(self, policy):
        """The last day the debtor may choose for a plan's first payment: the policy's horizon."""
        return fields.Date.add(fields.Date.context_today(self), months=policy.portal_plan_max_months)

    @api.model
    def _plan_domain(self, partner, states):
        """The customer's plans in ``states`` that the debtor sees: a draft only when the debtor proposed it
        (a collector's draft is still being negotiated)."""
        return [
            ("company_id", "=", self.env.company.id),
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("state", "in", states),
            "|",
            ("state", "!=", "draft"),
            ("portal_proposed", "=", True),
        ]

    @api.model
    def _plan_of(self, partner, plan_id, states=("draft", "proposed", "active")):
        plan = self.env["recouvrement.payment.plan"].search(
            [("id", "=", self._id(plan_id)), *self._plan_domain(partner, states)]
        )
        if not plan:
            raise ValidationError(self.env._("This payment plan is not available."))
        return plan

    @api.model
    def _sign_plan(self, partner, plan_id, name, signature, ip_address):
        """The debtor signs the accepted plan: it becomes active, and the signed agreement, with the name, time
        and IP address of the signature, is stored on the plan (an acknowledgement of the debt)."""
        plan = self._plan_of(partner, plan_id, states=("proposed",))
        name = self._text(name if isinstance(name, str) else "")
        if not name or not signature or not isinstance(signature, str):
            raise ValidationError(self.env._("Type your name and sign."))
        plan.write(
            {
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
                "signed_ip": ip_address,
                "signed_date": fields.Date.context_today(self),
                "signature": signature,
            }
        )
        plan.action_activate()
        report = self.env.ref("recouvrement_creances.action_report_payment_plan_agreement")
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(report, plan.ids)
        plan.write(
            {
                "signed_document": base64.b64encode(pdf),
                "signed_document_name": f"{plan.name}.pdf",
            }
        )
        content = Markup("<p>%s</p>") % self.env._(
            "Payment plan signed by %(name)s from %(ip)s.", name=plan.signed_by, ip=ip_address or "?"
        )
        plan.message_post(body=content)
        self.env["recouvrement.action"]._log_portal(
            partner, "signature", content, plan.move_ids, ip_address, plan.currency_id
        )
        return plan
