import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

# Demo invoices: (key, partner, days until due (negative: overdue), untaxed amount, label, situation).
# Situations: open, partial, paid, dispute, credit_note (fully offset by a reconciled credit note),
# open_credit_note (an unreconciled credit note stays on the account), usd (invoiced in US dollars).
DEMO_INVOICES = [
    ("martin_1", "boulangerie_martin", 30, 1250.00, "Maintenance four à sole — novembre", "open"),
    ("martin_0", "boulangerie_martin", -150, 980.00, "Révision chambre froide", "paid"),
    ("imprimerie_1", "imprimerie_rhone", 30, 3420.00, "Papier couché 135 g — 12 palettes", "open"),
    ("soleil_1", "informatique_soleil", 30, 5600.00, "Licences et support annuel", "open"),
    ("dubois_1", "garage_dubois", 14, 2180.00, "Pièces détachées — commande 4471", "open"),
    ("batiplus_1", "batiplus", 14, 8750.00, "Location nacelle — situation 3", "open"),
    ("batiplus_2", "batiplus", -20, 6400.00, "Location nacelle — situation 2", "open"),
    ("batiplus_3", "batiplus", -45, 7200.00, "Location nacelle — situation 1", "partial"),
    ("cafe_1", "cafe_des_arts", 0, 640.00, "Fourniture café en grains", "open"),
    ("lumiere_1", "hotel_lumiere", 0, 2890.00, "Linge hôtelier — octobre", "open"),
    ("bernard_1", "menuiserie_bernard", -5, 1540.00, "Quincaillerie et visserie", "open"),
    ("bellecour_1", "pharmacie_bellecour", -5, 860.00, "Agencement vitrine", "open"),
    ("durand_1", "particulier_durand", -5, 420.00, "Dépannage chaudière", "open"),
    ("fabre_1", "transports_fabre", -20, 4300.00, "Entretien flotte — 6 véhicules", "open"),
    ("pixel_1", "agence_pixel", -20, 1800.00, "Hébergement et maintenance site", "open"),
    ("lemoine_1", "particulier_lemoine", -20, 350.00, "Installation électroménager", "open"),
    ("alpes_1", "alpes_logistique", -45, 12600.00, "Rayonnages entrepôt — lot B", "open"),
    ("veto_1", "clinique_veterinaire", -45, 2350.00, "Matériel de stérilisation", "open"),
    ("petit_1", "electricite_petit", -45, 3100.00, "Câblage et tableaux électriques", "partial"),
    ("nguyen_1", "particulier_nguyen", -45, 690.00, "Pose de volets roulants", "open"),
    ("bouchon_1", "restaurant_bouchon", -75, 1980.00, "Hotte professionnelle — entretien", "open"),
    ("savonnerie_1", "savonnerie_provence", -75, 4750.00, "Emballages cartonnés", "open"),
    ("beaujolais_1", "cave_beaujolais", -75, 3680.00, "Bouchons et capsules", "partial"),
    ("savoie_1", "fromagerie_savoie", -120, 9200.00, "Cuves inox — acompte 2", "open"),
    ("paysage_1", "paysage_vert", -120, 1450.00, "Location mini-pelle", "open"),
    ("roux_1", "particulier_roux", -120, 1280.00, "Réfection salle de bains — solde", "open"),
    ("renaud_1", "cabinet_architecte", -400, 6300.00, "Traceur grand format et consommables", "open"),
    ("marchand_1", "particulier_marchand", -400, 890.00, "Remplacement portail", "open"),
    ("soieries_1", "textile_croix_rousse", -60, 2740.00, "Bobines de fil de soie", "paid"),
    ("leroy_1", "plomberie_leroy", -10, 760.00, "Tubes cuivre et raccords", "paid"),
    ("confluence_1", "auto_ecole_confluence", -30, 1620.00, "Entretien véhicules double commande", "dispute"),
    ("srg_1", "securite_gardiennage", -50, 5200.00, "Télésurveillance — trimestre 3", "dispute"),
    ("passage_1", "librairie_passage", -35, 980.00, "Étagères bibliothèque", "credit_note"),
    ("nettoyage_1", "nettoyage_pro", -25, 2150.00, "Produits d'entretien — lot mensuel", "open_credit_note"),
    ("atlantic_1", "atlantic_trading", -20, 7800.00, "Export order 2026-118", "usd"),
    ("atlantic_2", "atlantic_trading", -60, 4200.00, "Export order 2026-097", "usd"),
    ("gauthier_1", "ets_gauthier", 14, 4100.00, "Contrat de maintenance — décembre", "open"),
    ("gauthier_2", "ets_gauthier", -14, 3900.00, "Contrat de maintenance — novembre", "open"),
    ("gauthier_3", "ets_gauthier", -30, 3900.00, "Contrat de maintenance — octobre", "open"),
    ("gauthier_4", "ets_gauthier", -90, 3900.00, "Contrat de maintenance — août", "open"),
    ("euro_1", "euro_import", -15, 2450.00, "Transit douanier — dossier 771", "open"),
    ("euro_2", "euro_import", -100, 5100.00, "Transit douanier — dossier 702", "open"),
    ("gourmet_1", "traiteur_gourmet", -10, 1120.00, "Vaisselle jetable premium", "open"),
    ("studio_1", "studio_photo", -90, 2300.00, "Éclairage studio LED", "open"),
    ("cafe_0", "cafe_des_arts", -130, 1200.00, "Moulin à café professionnel", "open"),
    ("ferme_1", "ferme_bio", -30, 870.00, "Filets et bâches agricoles", "open"),
    ("coiffure_1", "salon_coiffure", -15, 560.00, "Produits capillaires", "open"),
    ("simon_1", "particulier_simon", -60, 480.00, "Réparation lave-linge", "open"),
    ("colin_1", "particulier_colin", -10, 1390.00, "Cuisine équipée — solde", "open"),
]
PAYMENT_TERM_DAYS = 30
DEMO_RUN_DAYS_AGO = (45, 21, 7)
USD_RATE = 1.08


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _recouvrement_load_demo(self):
        """Create the demo invoices once (demo data reloads on every module update)."""
        company = self.env.company
        if self.env.ref("recouvrement_creances.demo_invoice_martin_1", raise_if_not_found=False):
            return
        if not self.env["account.journal"].search_count(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
        ):
            _logger.info("Collection demo invoices skipped: company %s has no chart of accounts.", company.name)
            return
        usd = self._recouvrement_demo_usd(company)
        today = fields.Date.context_today(self)
        vals_list = [
            self._recouvrement_demo_invoice_vals(
                partner, today + timedelta(days=due), amount, label, usd if situation == "usd" else company.currency_id
            )
            for _key, partner, due, amount, label, situation in DEMO_INVOICES
        ]
        moves = self.env["account.move"].create(vals_list)
        moves.action_post()
        by_key = dict(zip([row[0] for row in DEMO_INVOICES], moves, strict=False))
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"recouvrement_creances.demo_invoice_{key}", "record": move, "noupdate": True}
                for key, move in by_key.items()
            ]
        )
        for key, _partner, due, _amount, _label, situation in DEMO_INVOICES:
            self._recouvrement_demo_apply_situation(by_key[key], situation, today + timedelta(days=due))
        self._recouvrement_demo_partners(moves.partner_id)
        # the history is written by the admin, in the admin's language (the chatter logs are French)
        self.with_context(lang=self.env.ref("base.user_admin").lang)._recouvrement_demo_history(today)

    @api.model
    def _recouvrement_demo_usd(self, company):
        usd = self.env.ref("base.USD")
        if usd == company.currency_id:
            return usd
        usd.active = True
        if not self.env["res.currency.rate"].search_count(
            [("currency_id", "=", usd.id), ("company_id", "=", company.id)], limit=1
        ):
            self.env["res.currency.rate"].create(
                {
                    "currency_id": usd.id,
                    "company_id": company.id,
                    "name": fields.Date.context_today(self) - timedelta(days=500),
                    "rate": USD_RATE,
                }
            )
        return usd

    @api.model
    def _recouvrement_demo_invoice_vals(self, partner, due_date, amount, label, currency, move_type="out_invoice"):
        if isinstance(partner, str):
            partner = self.env.ref(f"recouvrement_creances.partner_{partner}")
        tax = self.env.company.account_sale_tax_id
        return {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": due_date - timedelta(days=PAYMENT_TERM_DAYS),
            "invoice_payment_term_id": self.env.ref("account.account_payment_term_30days").id,
            "currency_id": currency.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.set(tax.ids)],
                    }
                )
            ],
        }

    def _recouvrement_demo_apply_situation(self, invoice, situation, due_date):
        today = fields.Date.context_today(self)
        if situation == "paid":
            self._recouvrement_demo_pay(invoice, invoice.amount_residual, min(due_date + timedelta(days=3), today))
        elif situation == "partial":
            amount = invoice.currency_id.round(invoice.amount_total * 0.4)
            self._recouvrement_demo_pay(invoice, amount, min(due_date + timedelta(days=10), today))
        elif situation == "dispute":
            invoice.write(
                {
                    "collection_dispute": True,
                    "collection_dispute_reason": "Le client conteste la quantité livrée : bon de livraison non signé.",
                }
            )
        elif situation == "credit_note":
            # A reversal of a posted invoice is reconciled with it when posted.
            refund = invoice._reverse_moves([{"invoice_date": min(due_date + timedelta(days=5), today)}])
            refund.action_post()
        elif situation == "open_credit_note":
            line = invoice.invoice_line_ids[:1]
            refund = self.env["account.move"].create(
                self._recouvrement_demo_invoice_vals(
                    invoice.partner_id,
                    today + timedelta(days=PAYMENT_TERM_DAYS - 3),
                    invoice.currency_id.round(line.price_unit * 0.3),
                    f"Avoir : {line.name}",
                    invoice.currency_id,
                    move_type="out_refund",
                )
            )
            refund.action_post()

    def _recouvrement_demo_partners(self, partners):
        """French customers read French; the admin is their collector."""
        if self.env["res.lang"]._lang_get("fr_FR"):
            partners.filtered(lambda p: p.country_id.code == "FR").child_ids.lang = "fr_FR"
            partners.filtered(lambda p: p.country_id.code == "FR").lang = "fr_FR"
        admin = self.env.ref("base.user_admin")
        partners.with_company(self.env.company).collection_user_id = admin

    def _recouvrement_demo_history(self, today):
        """Three past runs and today's: emails sent, calls logged, one promise, proposals left to review."""
        if self.env["res.lang"]._lang_get("fr_FR"):
            # Module terms are loaded after the demo data: load them now so that the demo reminders are French.
            self.env["ir.module.module"]._load_module_terms(["recouvrement_creances"], ["fr_FR"])
            self.env.invalidate_all()
        admin = self.env.ref("base.user_admin")
        # plans and cases agreed or opened earlier: their invoices stay out of the runs
        self._recouvrement_demo_payment_plan(today)
        self._recouvrement_demo_cases(today)
        Run = self.env["recouvrement.run"].with_user(admin).with_context(mail_notify_force_send=False)
        savoie = self.env.ref("recouvrement_creances.partner_fromagerie_savoie")
        for days_ago in DEMO_RUN_DAYS_AGO:
            run = Run.create({"date": today - timedelta(days=days_ago)})
            run.action_propose()
            to_validate = run.action_ids.filtered(lambda a: a.state == "proposed" and a.needs_validation)
            # the manager validates the formal notice to Fromagerie de Savoie and postpones the others
            notice = to_validate.filtered(lambda a: a.channel == "registered_letter" and a.partner_id == savoie)
            (to_validate - notice)._cancel("Reporté : le client a demandé un délai au téléphone.")
            run._execute_actions(run.action_ids.filtered(lambda a: a.state == "proposed"))
            # the history is dated on its run; the actions are sealed again as dated (the latest link is what counts)
            executed = run.action_ids.filtered("done_date")
            executed.sudo().write({"done_date": fields.Datetime.to_datetime(run.date)})
            run.action_ids.mail_message_id.sudo().write({"date": fields.Datetime.to_datetime(run.date)})
            self.env["recouvrement.evidence"]._seal(executed, "action")
            self._recouvrement_demo_calls(run.action_ids.filtered(lambda a: a.channel == "phone"), today)
            notice.write(
                {
                    "registered_number": "1A 184 293 5561 7",
                    "registered_ack_date": run.date + timedelta(days=2),
                    "registered_outcome": "received",
                }
            )
        run = Run.create({"date": today})
        run.action_propose()
        run._execute_actions(run.action_ids.filtered(lambda a: a.state == "proposed" and not a.needs_validation))
        # the manager hands Fromagerie de Savoie, unpaid after its formal notice, over to the legal procedure
        run._execute_actions(run.action_ids.filtered(lambda a: a.channel == "escalation" and a.partner_id == savoie))
        self._recouvrement_demo_mark_mails_sent()
        self._recouvrement_demo_penalties(today)
        self._recouvrement_demo_solvency(today)

    def _recouvrement_demo_solvency(self, today):
        """Scores, two solvency files with figures, credit limits with the hold beyond them, a hold set by hand
        and a salesperson for the weekly digest."""
        company = self.env.company
        company.write({"account_use_credit_limit": True, "collection_hold_on_limit": True})
        ref = self.env.ref
        salesperson = ref("base.user_demo", raise_if_not_found=False)
        customers = self.env["res.partner"].search(
            [
                (
                    "id",
                    "in",
                    [
                        ref(f"recouvrement_creances.{key}").id
                        for key in (
                            "partner_fromagerie_savoie",
                            "partner_transports_fabre",
                            "partner_cave_beaujolais",
                            "partner_hotel_lumiere",
                            "partner_pharmacie_bellecour",
                            "partner_garage_dubois",
                        )
                    ],
                )
            ]
        )
        if salesperson:
            customers.user_id = salesperson
        Solvency = self.env["recouvrement.solvency"]
        Solvency._score_partners()
        last_year_end = today.replace(month=12, day=31) - relativedelta(years=1)
        martin = Solvency._files_of(ref("recouvrement_creances.partner_boulangerie_martin"))
        fabre = Solvency._files_of(ref("recouvrement_creances.partner_transports_fabre"))
        martin.write(
            {
                "rating_agency": "Banque de France",
                "rating_grade": "4+",
                "rating_date": today - timedelta(days=60),
                "note": "<p>Entreprise familiale, trois boutiques à Lyon. Trésorerie tendue en août (fermeture "
                "annuelle).</p>",
                "figure_ids": [
                    Command.create(
                        {
                            "date": last_year_end,
                            "source": "Comptes annuels déposés",
                            "turnover": 640000,
                            "equity": 210000,
                            "net_result": 38000,
                            "debt": 95000,
                        }
                    ),
                    Command.create(
                        {
                            "date": last_year_end - relativedelta(years=1),
                            "source": "Comptes annuels déposés",
                            "turnover": 585000,
                            "equity": 176000,
                            "net_result": 29000,
                            "debt": 120000,
                        }
                    ),
                ],
            }
        )
        fabre.write(
            {
                "rating_agency": "Ellisphere",
                "rating_grade": "6/10",
                "rating_date": today - timedelta(days=30),
                "figure_ids": [
                    Command.create(
                        {
                            "date": last_year_end,
                            "source": "Rapport de solvabilité",
                            "turnover": 420000,
                            "equity": 38000,
                            "net_result": -12000,
                            "debt": 160000,
                        }
                    )
                ],
                "override_class_id": ref("recouvrement_creances.risk_class_d").id,
                "override_reason": "Perte d'un client majeur annoncée par le dirigeant",
                "override_until": today + relativedelta(months=3),
            }
        )
        martin.action_apply_credit_limit()
        martin.action_apply_payment_term()
        ref("recouvrement_creances.partner_transports_fabre").with_company(company).credit_limit = 2000
        self.env["recouvrement.credit.hold"].create(
            {
                "partner_id": ref("recouvrement_creances.partner_hotel_lumiere").id,
                "reason": "Chèque revenu impayé le " + fields.Date.to_string(today - timedelta(days=3)),
            }
        )
        self.env["recouvrement.credit.hold"]._sync_company()

    def _recouvrement_demo_payment_plan(self, today):
        """Three plans of three monthly installments: Studio Photo Fourvière's, agreed today, with 2 % off if
        settled within 40 days; Café des Arts'
        agreed four months ago and paid on time (completed); Paysages Verts', whose second installment was
        never paid (broken)."""
        plans = self._recouvrement_demo_plan(
            "studio_1",
            today,
            today + timedelta(days=10),
            settlement_discount=2.0,
            settlement_deadline=today + timedelta(days=40),
        )
        for key, agreed_days_ago, installments_paid in (("cafe_0", 120, 3), ("paysage_1", 55, 1)):
            agreed = today - timedelta(days=agreed_days_ago)
            plan = self._recouvrement_demo_plan(key, agreed, agreed + timedelta(days=10))
            for line in plan.line_ids[:installments_paid]:
                self._recouvrement_demo_pay(plan.move_ids, line.amount, line.date_due)
            plans |= plan
        plans._update_states(today)

    def _recouvrement_demo_cases(self, today):
        """Contentious cases at several stages: Cabinet Renaud's order was issued two months ago, Mr Marchand
        was served 40 days ago (the opposition period is over: the enforceable form is overdue; his debt is in
        doubtful debts, half impaired), Christophe
        Roux's invoice went to a collection agency and Ets Gauthier's oldest to the credit insurer."""
        # Ets Gauthier is insured: 90 % of losses up to 30 000 EUR, declared within 90 days of the due date
        self.env.ref("recouvrement_creances.partner_ets_gauthier").with_company(self.env.company).write(
            {
                "collection_insurer_id": self.env.ref("recouvrement_creances.counsel_credit_insurer").id,
                "collection_insurance_policy": "ACF-2026-118204",
                "collection_insured_limit": 30000.0,
                "collection_insurance_cover": 90.0,
                "collection_insurance_notice_days": 90,
            }
        )
        Case = self.env["recouvrement.case"].with_user(self.env.ref("base.user_admin"))
        commissaire = self.env.ref("recouvrement_creances.counsel_commissaire_dumont")
        cases = {
            key: Case._open_for_moves(
                self.env.ref(f"recouvrement_creances.demo_invoice_{key}"), case_type, today - timedelta(days=opened)
            )
            for key, case_type, opened in (
                ("renaud_1", "legal", 150),
                ("marchand_1", "legal", 200),
                ("roux_1", "agency", 20),
                ("gauthier_4", "insurer", 10),
            )
        }
        cases["renaud_1"].write(
            {
                "stage_id": self.env.ref("recouvrement_creances.case_stage_order").id,
                "stage_date": today - timedelta(days=60),
                "lawyer_id": commissaire.id,
                "court_name": "Tribunal de commerce de Lyon",
                "court_reference": "IP 2026/04417",
                "cost_ids": [
                    Command.create(
                        {
                            "date": today - timedelta(days=90),
                            "kind": "court",
                            "name": "Frais de greffe",
                            "amount": 33.47,
                        }
                    )
                ],
            }
        )
        cases["marchand_1"].write(
            {
                "stage_id": self.env.ref("recouvrement_creances.case_stage_service").id,
                "stage_date": today - timedelta(days=40),
                "lawyer_id": commissaire.id,
                "court_name": "Tribunal judiciaire de Lyon",
                "court_reference": "IP 2026/01982",
                "cost_ids": [
                    Command.create(
                        {
                            "date": today - timedelta(days=40),
                            "kind": "commissaire",
                            "name": "Signification de l'ordonnance",
                            "amount": 61.85,
                        }
                    )
                ],
            }
        )
        if self.env.company.chart_template == "fr":
            # Mr Marchand's debt is doubtful: moved to 416 and impaired by half at the last month end
            month_end = today.replace(day=1) - timedelta(days=1)
            cases["marchand_1"]._transfer_to_doubtful(month_end)
            cases["marchand_1"]._book_impairment(50.0, month_end)
        cases["gauthier_4"].action_file_insurer_claim()
        cases["roux_1"].write(
            {
                "agency_id": self.env.ref("recouvrement_creances.counsel_recouvrement_agency").id,
                "agency_handover_date": today - timedelta(days=20),
            }
        )

    def _recouvrement_demo_plan(self, key, agreed, first, **terms):
        """The plan negotiated, agreed and signed on ``agreed`` for the demo invoice ``key``."""
        invoice = self.env.ref(f"recouvrement_creances.demo_invoice_{key}")
        wizard = (
            self.env["recouvrement.payment.plan.wizard"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"installment_count": 3, "first_date": first, **terms})
        )
        plan = wizard.env["recouvrement.payment.plan"].create(
            dict(wizard._plan_values(wizard._schedule()), date=agreed)
        )
        plan.action_activate()
        plan.signed_date = agreed
        return plan

    def _recouvrement_demo_penalties(self, today):
        """The penalties of one late business are invoiced; another's are waived, with the reason. They are
        counted up to today, or up to the last day whose ECB rate is known."""
        until = min(today, self.env["recouvrement.rate"]._ecb_known_until() or today)
        wizard = (
            self.env["recouvrement.penalty.wizard"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(active_model="res.partner", default_date=until)
        )
        invoiced = wizard.with_context(active_ids=self.env.ref("recouvrement_creances.partner_fromagerie_savoie").ids)
        invoiced.create({}).action_invoice()
        waived = wizard.with_context(active_ids=self.env.ref("recouvrement_creances.partner_savonnerie_provence").ids)
        waived = waived.create({})
        for line in waived.line_ids:
            line.write(
                {
                    "penalty_waived": line.penalty_amount,
                    "indemnity_waived": line.indemnity_amount,
                    "waiver_reason": "Geste commercial : client depuis douze ans, premier retard.",
                }
            )
        waived.action_invoice()

    def _recouvrement_demo_calls(self, calls, today):
        outcomes = ["reached", "promise", "no_answer"]
        for index, call in enumerate(calls.filtered(lambda a: a.state == "pending")):
            outcome = outcomes[index % len(outcomes)]
            wizard = (
                self.env["recouvrement.call.wizard"]
                .with_user(self.env.ref("base.user_admin"))
                .create(
                    {
                        "action_id": call.id,
                        "outcome": outcome,
                        "promise_date": today + timedelta(days=10),
                        "promise_amount": call.amount_total,
                        "note": {
                            "reached": (
                                "Le comptable confirme la réception des factures ; paiement en cours de validation."
                            ),
                            "promise": "Virement annoncé pour la semaine prochaine.",
                            "no_answer": "Messagerie : message laissé.",
                        }[outcome],
                    }
                )
            )
            wizard.action_confirm()

    def _recouvrement_demo_mark_mails_sent(self):
        """The demo has no mail server: its reminders are shown as delivered."""
        messages = self.env["recouvrement.action"].search([("mail_message_id", "!=", False)]).mail_message_id
        self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)]).write({"state": "sent"})
        messages.notification_ids.sudo().write({"notification_status": "sent"})

    def _recouvrement_demo_pay(self, invoice, amount, date):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": date}
        )._create_payments()
