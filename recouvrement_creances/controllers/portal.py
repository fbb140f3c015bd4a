from urllib.parse import urlencode

from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.lru import LRU

from odoo.addons.account_payment.controllers.portal import PortalAccount

BASE = "/my/recouvrement"
# the last contents of debtors' pages, by debtor and version of what they show (per server process)
PAGE_CONTENTS = LRU(256)


class RecouvrementPortal(PortalAccount):
    """The debtor's collection page and what the debtor does from it. The debtor is the commercial entity
    of the portal user, or of a link sent in a reminder (``access_token``); anything else is a 404 that
    says nothing of what exists."""

    # ------------------------------------------------------------------
    # Who the debtor is
    # ------------------------------------------------------------------

    def _recouvrement_debtor(self, access_token=None):
        """(portal service, customer) of the request, or NotFound. The service runs as superuser in the
        debtor's company and language; the customer is read in that environment."""
        if access_token:
            link = self._recouvrement_link(access_token)
            partner, company = link.partner_id.commercial_partner_id, link.company_id
        elif request.env.user._is_public():
            raise NotFound()
        else:
            partner, company = request.env.user.partner_id.commercial_partner_id, request.env.company
        service = (
            request.env["recouvrement.portal"]
            .sudo()
            .with_company(company)
            .with_context(
                lang=partner.lang or company.partner_id.lang,
                allowed_company_ids=[company.id],
                # the statement and the agreement are real PDFs, also when the tests run
                force_report_rendering=True,
            )
        )
        return service, partner.with_env(service.env)

    def _recouvrement_link(self, access_token):
        """The valid link of ``access_token``, or NotFound. An address that tries too many bad tokens is
        slowed down, then refused (429) for a while."""
        throttle = request.env["recouvrement.portal.throttle"].sudo()
        throttle._check_address(self._recouvrement_ip())
        link = request.env["recouvrement.portal.access"].sudo()._from_token(access_token)
        if not link:
            throttle._record_failure(self._recouvrement_ip())
            raise NotFound()
        return link

    def _recouvrement_pdf(self, pdf, filename):
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    def _recouvrement_url(self, path="", access_token=None, **params):
        query = urlencode({key: value for key, value in {"access_token": access_token, **params}.items() if value})
        return f"{BASE}{path}" + (f"?{query}" if query else "")

    def _recouvrement_ip(self):
        return request.httprequest.remote_addr

    def _recouvrement_values(self, service, partner, access_token):
        """What every page of the debtor needs around its own content."""
        return {
            "partner": partner,
            "company": service.env.company,
            "access_token": access_token,
            "url": lambda path="", **params: self._recouvrement_url(path, access_token, **params),
            "page_name": "recouvrement",
        }

    def _recouvrement_render(self, template, service, partner, access_token, **values):
        request.update_context(lang=service.env.context["lang"])
        return request.render(template, {**self._recouvrement_values(service, partner, access_token), **values})

    # ------------------------------------------------------------------
    # The page and the statement
    # ------------------------------------------------------------------

    @http.route(BASE, type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_page(self, access_token=None, message=None, error=None, **kwargs):
        if not access_token and request.env.user._is_public():
            return request.redirect(f"/web/login?redirect={BASE}")
        service, partner = self._recouvrement_debtor(access_token)
        return self._recouvrement_render(
            "recouvrement_creances.portal_recouvrement_page",
            service,
            partner,
            access_token,
            message=message,
            error=error,
            content=self._recouvrement_page_content(service, partner, access_token),
        )

    def _recouvrement_page_content(self, service, partner, access_token):
        """The page's content, rendered again only when what it shows changed (see _page_version): a debtor
        with hundreds of invoices reloads it without computing their penalties again."""
        key = (request.db, partner.id, service.env.company.id, access_token, service._page_version(partner))
        content = PAGE_CONTENTS.get(key)
        if content is None:
            values = {**service._page_values(partner), **self._recouvrement_values(service, partner, access_token)}
            content = service.env["ir.qweb"]._render("recouvrement_creances.portal_recouvrement_page_content", values)
            PAGE_CONTENTS[key] = content
        return content

    @http.route(f"{BASE}/statement", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_statement(self, access_token=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        report = service.env.ref("recouvrement_creances.action_report_collection_statement")
        pdf, _type = service.env["ir.actions.report"]._render_qweb_pdf(report, partner.ids)
        return self._recouvrement_pdf(pdf, service.env._("Statement - %s.pdf", partner.name))

    @http.route(
        f"{BASE}/invoice/<int:move_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def recouvrement_invoice(self, move_id, access_token=None, **kwargs):
        """An open invoice or credit note of the debtor, as a PDF: reached through the debtor's own link, so
        that revoking the link closes it too."""
        service, partner = self._recouvrement_debtor(access_token)
        try:
            move = service._documents_of(partner, [move_id])
        except ValidationError:
            raise NotFound() from None
        pdf, _type = service.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", move.ids)
        return self._recouvrement_pdf(pdf, f"{move._get_report_base_filename()}.pdf")

    # ------------------------------------------------------------------
    # Paying online
    # ------------------------------------------------------------------

    @http.route(f"{BASE}/pay", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_pay(self, access_token=None, selection=None, **kwargs):
        """The payment form for what the debtor chose: all, some invoices (``move_ids``) or an installment."""
        service, partner = self._recouvrement_debtor(access_token)
        move_ids = request.httprequest.args.getlist("move_ids")
        if selection == "invoices" or (not selection and move_ids):
            selection = "invoices-" + "-".join(move_id for move_id in move_ids if move_id.isdigit())
        try:
            documents, amount, currency, label = service._payable(partner, selection)
        except ValidationError as error:
            return request.redirect(self._recouvrement_url("", access_token, error=error.args[0]))
        payment_values = self._get_common_page_view_values(
            invoices_data={
                "partner": partner,
                "company": service.env.company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": label[:60],
                "landing_route": self._recouvrement_url("", access_token, message="paid"),
                "transaction_route": f"{BASE}/transaction/{selection}",
            },
            access_token=access_token,
        )
        payment_values.pop("access_token")  # the debtor's token, already in the page's values
        return self._recouvrement_render(
            "recouvrement_creances.portal_recouvrement_pay",
            service,
            partner,
            access_token,
            selection=selection,
            documents=documents,
            amount=amount,
            pay_currency=currency,
            label=label,
            **payment_values,
        )

    @http.route(f"{BASE}/transaction/<string:selection>", type="jsonrpc", auth="public")
    def recouvrement_transaction(self, selection, access_token=None, amount=None, csrf_token=None, **kwargs):
        """Create the transaction of ``selection``: its amount and invoices are computed here; a different
        amount sent by the browser is refused."""
        if not request.validate_csrf(csrf_token):
            raise BadRequest()
        service, partner = self._recouvrement_debtor(access_token)
        documents, due, currency, label = service._payable(partner, selection)
        mismatch = service.env._("The amount to pay does not match what is due. Reload the page.")
        if currency.compare_amounts(service._number(amount, mismatch), due) != 0:
            raise ValidationError(mismatch)
        self._validate_transaction_kwargs(kwargs, additional_allowed_keys={"payment_reference"})
        for key in ("payment_reference", "reference_prefix", "partner_id", "currency_id"):
            kwargs.pop(key, None)
        kwargs.update(
            {
                "amount": due,
                "currency_id": currency.id,
                "partner_id": partner.id,
                "reference_prefix": None,
                "landing_route": self._recouvrement_url("", access_token, message="paid"),
            }
        )
        tx_sudo = self._create_transaction(
            custom_create_values={"invoice_ids": [(6, 0, documents.ids)]},
            **kwargs,
        )
        service.env["recouvrement.action"]._log_portal(
            partner,
            "payment",
            Markup("<p>%s</p>")
            % service.env._(
                "Online payment of %(amount)s started (%(label)s), transaction %(reference)s.",
                amount=currency.format(due),
                label=label,
                reference=tx_sudo.reference,
            ),
            documents,
            self._recouvrement_ip(),
            currency,
        )
        return tx_sudo._get_processing_values()

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------

    @http.route(f"{BASE}/plan", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_plan_form(self, access_token=None, error=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        return self._recouvrement_render(
            "recouvrement_creances.portal_recouvrement_plan_form",
            service,
            partner,
            access_token,
            error=error,
            **service._form_values(partner),
        )

    @http.route(f"{BASE}/plan", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def recouvrement_plan_propose(
        self, access_token=None, installment_count=None, down_payment=None, first_date=None, **kwargs
    ):
        service, partner = self._recouvrement_debtor(access_token)
        move_ids = request.httprequest.form.getlist("move_ids")
        try:
            plan = service._propose_plan(
                partner, move_ids, installment_count, down_payment, first_date, self._recouvrement_ip()
            )
        except (UserError, ValidationError) as error:
            return request.redirect(self._recouvrement_url("/plan", access_token, error=error.args[0]))
        return request.redirect(self._recouvrement_url(f"/plan/{plan.id}", access_token))

    @http.route(f"{BASE}/plan/<int:plan_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_plan(self, plan_id, access_token=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        try:
            plan = service._plan_of(partner, plan_id, states=("draft", "proposed", "active", "completed", "broken"))
        except ValidationError:
            raise NotFound() from None
        return self._recouvrement_render(
            "recouvrement_creances.portal_recouvrement_plan", service, partner, access_token, plan=plan
        )

    @http.route(
        [f"{BASE}/plan/<int:plan_id>/sign", f"{BASE}/plan/<int:plan_id>/sign/<string:access_token>"],
        type="jsonrpc",
        auth="public",
    )
    def recouvrement_plan_sign(self, plan_id, access_token=None, name=None, signature=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        try:
            service._plan_of(partner, plan_id, states=("proposed",))
        except ValidationError:
            raise NotFound() from None
        try:
            service._sign_plan(partner, plan_id, name, signature, self._recouvrement_ip())
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": self._recouvrement_url(f"/plan/{plan_id}", access_token),
        }

    @http.route(
        f"{BASE}/plan/<int:plan_id>/agreement", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def recouvrement_plan_agreement(self, plan_id, access_token=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        try:
            plan = service._plan_of(partner, plan_id, states=("active", "completed", "broken"))
        except ValidationError:
            raise NotFound() from None
        if not plan.signed_document:
            raise NotFound()
        return (
            request.env["ir.binary"]._get_stream_from(plan.sudo(), "signed_document").get_response(as_attachment=True)
        )

    # ------------------------------------------------------------------
    # Dispute and promise
    # ------------------------------------------------------------------

    def _recouvrement_chosen_form(self, template, access_token):
        """The form of a promise or a dispute on the invoices ticked on the page."""
        service, partner = self._recouvrement_debtor(access_token)
        try:
            chosen = service._documents_of(partner, request.httprequest.args.getlist("move_ids")).filtered(
                lambda move: move.move_type == "out_invoice"
            )
        except ValidationError as error:
            return request.redirect(self._recouvrement_url("", access_token, error=error.args[0]))
        return self._recouvrement_render(
            template, service, partner, access_token, chosen=chosen, **service._form_values(partner)
        )

    @http.route(f"{BASE}/promise", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_promise_form(self, access_token=None, **kwargs):
        return self._recouvrement_chosen_form("recouvrement_creances.portal_recouvrement_promise_form", access_token)

    @http.route(f"{BASE}/dispute", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def recouvrement_dispute_form(self, access_token=None, **kwargs):
        return self._recouvrement_chosen_form("recouvrement_creances.portal_recouvrement_dispute_form", access_token)

    @http.route(f"{BASE}/dispute", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def recouvrement_dispute_declare(self, access_token=None, reason_id=None, message=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        try:
            dispute = service._declare_dispute(
                partner,
                request.httprequest.form.getlist("move_ids"),
                reason_id,
                message,
                files,
                self._recouvrement_ip(),
            )
        except (UserError, ValidationError) as error:
            return request.redirect(self._recouvrement_url("", access_token, error=error.args[0]))
        return request.redirect(self._recouvrement_url(f"/dispute/{dispute.id}", access_token))

    @http.route(
        f"{BASE}/dispute/<int:dispute_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def recouvrement_dispute(self, dispute_id, access_token=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        company = service.env.company
        dispute = service.env["recouvrement.dispute"].search(
            [("id", "=", service._id(dispute_id)), ("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )
        if not dispute:
            raise NotFound()
        link = request.env["recouvrement.portal.access"].sudo()._from_token(access_token)
        return self._recouvrement_render(
            "recouvrement_creances.portal_recouvrement_dispute",
            service,
            partner,
            access_token,
            dispute=dispute,
            dispute_token=dispute._portal_chatter_token(link),
        )

    @http.route(f"{BASE}/promise", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def recouvrement_promise(self, access_token=None, date=None, amount=None, **kwargs):
        service, partner = self._recouvrement_debtor(access_token)
        try:
            service._promise(
                partner, request.httprequest.form.getlist("move_ids"), date, amount, self._recouvrement_ip()
            )
        except (UserError, ValidationError) as error:
            return request.redirect(self._recouvrement_url("", access_token, error=error.args[0]))
        return request.redirect(self._recouvrement_url("", access_token, message="promise"))
