from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, RecouvrementCommon

NBSP = "\xa0"


def euros(text):
    """An amount as French users read it: "1 000,00 €", with the no-break spaces Odoo prints."""
    return text.replace(" ", NBSP) + NBSP + "€"


class BadInputCommon(RecouvrementCommon):
    """French-speaking users, as they log in: an agent, a manager, and an administrator who is also a manager and an
    accountant. Every bad input is refused with its French message, and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids, "lang": "fr_FR"}
        cls.fr_agent = new_test_user(
            cls.env, "bi_agent", groups="recouvrement_creances.group_recouvrement_agent", **company
        )
        cls.fr_manager = new_test_user(
            cls.env,
            "bi_manager",
            groups="recouvrement_creances.group_recouvrement_manager,base.group_partner_manager",
            **company,
        )
        cls.fr_admin = new_test_user(
            cls.env,
            "bi_admin",
            groups="base.group_system,account.group_account_manager,recouvrement_creances.group_recouvrement_manager",
            **company,
        )
        cls.invoice = cls._invoice(cls.debtor, 1000.0, due=cls.today - timedelta(days=20))
        cls.other_debtor = cls._debtor("Débiteur Deux")
        cls.other_invoice = cls._invoice(cls.other_debtor, 500.0, due=cls.today - timedelta(days=20))
        cls.paid_invoice = cls._invoice(cls.debtor, 300.0, due=cls.today - timedelta(days=30))
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.paid_invoice.ids
        ).create({"amount": 300.0, "payment_date": cls.today - timedelta(days=5)})._create_payments()

    def setUp(self):
        super().setUp()
        self.assertIn("fr_FR", dict(self.env["res.lang"].get_installed()), "the French language is loaded")
        self.assertEqual(self.paid_invoice.payment_state, "paid")

    def as_user(self, user):
        """The environment of ``user`` as a request gives it: the user's own language."""
        return self.env(user=user, context=dict(self.env.context, lang=user.lang))

    def count(self, model, domain=()):
        return self.env[model].sudo().with_context(active_test=False).search_count(list(domain))

    def assertRefused(self, message, action, record=None, values=None, count=None, error=ValidationError):
        """``action()`` is refused with ``error`` and exactly ``message``, and nothing is written: ``record``
        still reads ``values`` from the database, ``count()`` is what it was."""
        before = count() if count else None
        with self.assertRaises(UserError) as catcher, self.env.cr.savepoint():
            action()
        self.assertIs(type(catcher.exception), error)
        self.assertEqual(catcher.exception.args[0], message)
        self.env.invalidate_all()
        if record is not None:
            self.assertRecordValues(record, values if isinstance(values, list) else [values] * len(record))
        if count:
            self.assertEqual(count(), before)

    @staticmethod
    def day(value):
        return value.strftime("%d/%m/%Y")


@tagged("post_install", "-at_install")
class TestBadPromises(BadInputCommon):
    def _promise_vals(self, **values):
        return {
            "partner_id": self.debtor.id,
            "move_ids": [Command.set(self.invoice.ids)],
            "amount": 500.0,
            "date": self.today + timedelta(days=10),
            **values,
        }

    def _promises(self):
        return self.count("recouvrement.promise")

    def test_refused_promises_as_agent_and_manager(self):
        due = self.day(self.today + timedelta(days=10))
        label = f"Promesse de paiement « {euros('500,00')} au plus tard le {due} »"
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.debtor.id,
                "invoice_line_ids": [Command.create({"name": "Service", "price_unit": 100.0, "tax_ids": []})],
            }
        )
        credit_note = self._invoice(self.debtor, 50.0, move_type="out_refund")
        cases = [
            (
                "another customer's invoice",
                {"move_ids": [Command.set(self.other_invoice.ids)]},
                f"{label} : seules des factures de Debtor One peuvent être choisies (refusées : "
                f"{self.other_invoice.name}, de Débiteur Deux).",
            ),
            (
                "more than owed",
                {"amount": 1000.01},
                f"Promesse de paiement « {euros('1 000,01')} au plus tard le {due} » : le montant promis "
                f"({euros('1 000,01')}) dépasse ce que ses factures doivent encore ({euros('1 000,00')}).",
            ),
            (
                "a paid invoice",
                {"move_ids": [Command.set(self.paid_invoice.ids)]},
                f"{label} : seules des factures client comptabilisées et restant à payer peuvent être choisies "
                f"(refusées : {self.paid_invoice.name}).",
            ),
            (
                "a draft invoice",
                {"move_ids": [Command.set(draft.ids)]},
                f"{label} : seules des factures client comptabilisées et restant à payer peuvent être choisies "
                f"(refusées : {draft.with_context(lang='fr_FR').display_name}).",
            ),
            (
                "a credit note",
                {"move_ids": [Command.set((self.invoice | credit_note).ids)]},
                f"{label} : seules des factures client comptabilisées et restant à payer peuvent être choisies "
                f"(refusées : {credit_note.name}).",
            ),
            (
                "no invoice",
                {"move_ids": []},
                "Promesse de paiement : le champ « Factures » est obligatoire.",
            ),
            (
                "a zero amount",
                {"amount": 0.0},
                "Une promesse de paiement nécessite un montant supérieur à zéro.",
            ),
            (
                "a date in the past",
                {"date": self.today - timedelta(days=1)},
                "Une promesse de paiement ne peut pas être datée dans le passé "
                f"({self.day(self.today - timedelta(days=1))}).",
            ),
            (
                "a date that is not a date",
                {"date": "2026-02-30"},
                "Promesse de paiement : « 2026-02-30 » n'est pas une date pour « Date promise » (attendu : "
                "AAAA-MM-JJ).",
            ),
            (
                "a year mistyped",
                {"date": "0026-12-31"},
                "Promesse de paiement : la date du 31/12/0026 pour « Date promise » n'a pas de sens (attendue entre le "
                "01/01/1900 et le 31/12/2999).",
            ),
            (
                "an amount that is not a number",
                {"amount": float("nan")},
                "Promesse de paiement : le champ « Montant » doit être un nombre, « nan » n'en est pas un.",
            ),
        ]
        for user in (self.fr_agent, self.fr_manager):
            Promise = self.as_user(user)["recouvrement.promise"]
            for name, values, message in cases:
                with self.subTest(user=user.login, input=name):
                    self.assertRefused(
                        message,
                        lambda values=values, Promise=Promise: Promise.create(self._promise_vals(**values)),
                        count=self._promises,
                    )

    def test_refused_promise_in_another_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.25)])
        Promise = self.as_user(self.fr_agent)["recouvrement.promise"]
        due = self.day(self.today + timedelta(days=10))
        self.assertRefused(
            f"Promesse de paiement « $ 500,00 au plus tard le {due} » : seules des factures en USD peuvent être "
            f"choisies (refusées : {self.invoice.name}).".replace("$ ", f"${NBSP}"),
            lambda: Promise.create(self._promise_vals(currency_id=usd.id)),
            count=self._promises,
        )

    def test_refused_changes_of_a_promise(self):
        promise = self.env["recouvrement.promise"].create(self._promise_vals())
        label = f"Promesse de paiement « {euros('500,00')} au plus tard le {self.day(promise.date)} »"
        unchanged = {"amount": 500.0, "residual_at_promise": 1000.0, "move_ids": self.invoice.ids}
        for user, values, message in [
            (
                self.fr_agent,
                {"amount": 1200.0},
                f"{label.replace('500,00', '1 200,00'.replace(' ', NBSP))} : le montant promis ({euros('1 200,00')}) "
                "dépasse ce que ses factures doivent encore "
                f"({euros('1 000,00')}).",
            ),
            (
                self.fr_agent,
                {"move_ids": [Command.link(self.other_invoice.id)]},
                "Une promesse de paiement garde ce sur quoi elle a été faite (Factures) : annulez-la et "
                "enregistrez-en une nouvelle.",
            ),
            (
                self.fr_manager,
                {"residual_at_promise": 5000.0},
                "Une promesse de paiement garde ce sur quoi elle a été faite (Dû lors de la promesse) : annulez-la "
                "et enregistrez-en une nouvelle.",
            ),
        ]:
            with self.subTest(user=user.login, values=values):
                self.assertRefused(
                    message,
                    lambda user=user, values=values: promise.with_env(self.as_user(user)).write(values),
                    record=promise,
                    values=unchanged,
                )

    def test_refused_call_outcome(self):
        Wizard = self.as_user(self.fr_agent)["recouvrement.call.wizard"]
        action = self._run(self.today, execute=False, partners=self.debtor).action_ids[:1]
        self.assertTrue(action)
        self.assertRefused(
            "Résultat d'un appel de relance : « angry » n'est pas un choix possible pour « Résultat » (choix : Joint, "
            "Pas de réponse, Promesse de paiement, Échéancier convenu, Litige, Mauvais numéro).",
            lambda: Wizard.create({"action_id": action.id, "outcome": "angry"}),
            count=lambda: self.count("recouvrement.call.wizard"),
        )


@tagged("post_install", "-at_install")
class TestBadPlans(BadInputCommon):
    def _wizard_vals(self, **values):
        return {
            "partner_id": self.debtor.id,
            "move_ids": [Command.set(self.invoice.ids)],
            "first_date": self.today + timedelta(days=10),
            **values,
        }

    def test_refused_plan_negotiations_as_agent_and_manager(self):
        label = "Négocier un échéancier : le champ"
        cases = [
            (
                "negative interest",
                {"interest_rate": -1.0},
                f"{label} « Taux d'intérêt (%) » doit être compris entre 0 et 100 (-1).",
            ),
            (
                "negative grace",
                {"grace_days": -5},
                f"{label} « Jours de grâce » doit être compris entre 0 et 3{NBSP}650 (-5).",
            ),
            (
                "an unknown frequency",
                {"frequency": "daily"},
                "Négocier un échéancier : « daily » n'est pas un choix possible pour « Périodicité » (choix : "
                "Hebdomadaire, Mensuelle, Trimestrielle).",
            ),
            (
                "too many installments for the database",
                {"installment_count": 10**10},
                f"{label} « Échéances » doit être compris entre -2{NBSP}147{NBSP}483{NBSP}648 et "
                f"2{NBSP}147{NBSP}483{NBSP}647 (10{NBSP}000{NBSP}000{NBSP}000).",
            ),
            (
                "a negative down payment",
                {"down_payment": -100.0},
                f"{label} « Acompte » ne peut pas être négatif (-100).",
            ),
            (
                "half an installment",
                {"installment_count": 2.5},
                f"{label} « Échéances » doit être un nombre entier, « 2.5 » n'en est pas un.",
            ),
        ]
        for user in (self.fr_agent, self.fr_manager):
            Wizard = self.as_user(user)["recouvrement.payment.plan.wizard"]
            for name, values, message in cases:
                with self.subTest(user=user.login, input=name):
                    self.assertRefused(
                        message,
                        lambda values=values, Wizard=Wizard: Wizard.create(
                            self._wizard_vals(**values)
                        ).action_create_plan(),
                        count=lambda: self.count("recouvrement.payment.plan"),
                    )

    def test_refused_plans_written_directly(self):
        """What the wizard would not make, sent straight to the plan model (over RPC, say)."""
        Plan = self.as_user(self.fr_agent)["recouvrement.payment.plan"]
        base = {
            "partner_id": self.debtor.id,
            "currency_id": self.company.currency_id.id,
            "move_ids": [Command.set(self.invoice.ids)],
        }
        cases = [
            (
                {"move_ids": [Command.set((self.invoice | self.other_invoice).ids)]},
                f"Échéancier « Debtor One – {self.today:%d/%m/%Y} » : "
                "seules des factures de Debtor One peuvent être choisies "
                f"(refusées : {self.other_invoice.name}, de Débiteur Deux).",
            ),
            (
                {"move_ids": [Command.set(self.paid_invoice.ids)]},
                f"Échéancier « Debtor One – {self.today:%d/%m/%Y} » : "
                "seules des factures client comptabilisées et restant à "
                f"payer peuvent être choisies (refusées : {self.paid_invoice.name}).",
            ),
            (
                {"interest_rate": -2.0},
                "Échéancier : le champ « Taux d'intérêt (%) » doit être compris entre 0 et 100 (-2).",
            ),
            (
                {"reminder_days": 5000},
                f"Échéancier : le champ « Rappel (jours avant) » doit être compris entre 0 et 3{NBSP}650 "
                f"(5{NBSP}000).",
            ),
            (
                {"frequency": "yearly"},
                "Échéancier : « yearly » n'est pas un choix possible pour « Périodicité » (choix : Hebdomadaire, "
                "Mensuelle, Trimestrielle).",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                self.assertRefused(
                    message, lambda values=values: Plan.create({**base, **values}), count=lambda: self.count(Plan._name)
                )

    def test_refused_changes_of_a_plan(self):
        plan = self._plan(self.invoice, self.today + timedelta(days=10))
        second = self._invoice(self.debtor, 1000.0, due=self.today - timedelta(days=3))
        draft = self.env["recouvrement.payment.plan"].browse(
            self.env["recouvrement.payment.plan.wizard"]
            .create(self._wizard_vals(move_ids=[Command.set(second.ids)], installment_count=2))
            .action_create_plan()["res_id"]
        )
        label = f"Échéancier « Debtor One – {plan.date:%d/%m/%Y} »"
        lines = lambda: self.count("recouvrement.payment.plan.line", [("plan_id", "=", draft.id)])  # noqa: E731
        tomorrow = self.today + timedelta(days=1)
        for user, record, values, message, unchanged in [
            (
                self.fr_agent,
                plan,
                {"grace_days": -1},
                f"{label} : le champ « Jours de grâce » doit être compris entre 0 et 3{NBSP}650 (-1).",
                {"grace_days": 5},
            ),
            (
                self.fr_manager,
                plan,
                {"signed_date": tomorrow},
                f"{label} : un échéancier ne peut pas être signé à une date future ({self.day(tomorrow)}).",
                {"signed_date": False},
            ),
            (
                self.fr_agent,
                draft,
                {"line_ids": [Command.create({"date_due": tomorrow, "amount": -50.0})]},
                f"{label} : une échéance doit être supérieure à zéro (-\ufeff50,00{NBSP}€).",  # Odoo's minus sign
                {"amount_total": 1000.0},
            ),
            (
                self.fr_agent,
                draft,
                {"line_ids": [Command.create({"date_due": tomorrow, "amount": 10.0, "interest": 20.0})]},
                f"{label} : les intérêts inclus ({euros('20,00')}) dépassent le montant de l'échéance "
                f"({euros('10,00')}).",
                {"amount_total": 1000.0},
            ),
            (
                self.fr_agent,
                draft,
                {"line_ids": [Command.create({"date_due": "le 5", "amount": 10.0})]},
                "Échéance d'un échéancier : « le 5 » n'est pas une date pour « Échéance » (attendu : AAAA-MM-JJ).",
                {"amount_total": 1000.0},
            ),
        ]:
            with self.subTest(user=user.login, values=values):
                self.assertRefused(
                    message,
                    lambda user=user, record=record, values=values: record.with_env(self.as_user(user)).write(values),
                    record=record,
                    values=unchanged,
                    count=lines,
                )


@tagged("post_install", "-at_install")
class TestBadDisputes(BadInputCommon):
    def test_refused_disputes_as_agent_and_manager(self):
        reason = self.env.ref("recouvrement_creances.dispute_reason_already_paid", raise_if_not_found=False) or (
            self.env["recouvrement.dispute.reason"].search([], limit=1)
        )
        label = f"Litige sur facture « Debtor One – {reason.with_context(lang='fr_FR').name} »"
        cases = [
            (
                "a paid invoice",
                {"move_ids": [Command.set(self.paid_invoice.ids)]},
                f"{label} : seules des factures client comptabilisées et restant à payer peuvent être choisies "
                f"(refusées : {self.paid_invoice.name}).",
            ),
            (
                "another customer's invoice",
                {"move_ids": [Command.set(self.other_invoice.ids)]},
                f"{label} : seules des factures de Debtor One peuvent être choisies (refusées : "
                f"{self.other_invoice.name}, de Débiteur Deux).",
            ),
            ("no invoice", {"move_ids": []}, "Litige sur facture : le champ « Factures » est obligatoire."),
            ("no reason", {"reason_id": False}, "Litige sur facture : le champ « Motif » est obligatoire."),
        ]
        for user in (self.fr_agent, self.fr_manager):
            Dispute = self.as_user(user)["recouvrement.dispute"]
            for name, values, message in cases:
                with self.subTest(user=user.login, input=name):
                    self.assertRefused(
                        message,
                        lambda values=values, Dispute=Dispute: Dispute.create(
                            {
                                "partner_id": self.debtor.id,
                                "reason_id": reason.id,
                                "move_ids": [Command.set(self.invoice.ids)],
                                **values,
                            }
                        ),
                        record=self.paid_invoice | self.other_invoice,
                        values={"collection_dispute": False},
                        count=lambda: self.count("recouvrement.dispute"),
                    )

    def test_refused_dispute_and_exclusion_wizards(self):
        Block = self.as_user(self.fr_agent)["recouvrement.block.wizard"]
        yesterday = self.today - timedelta(days=1)
        cases = [
            (
                {"move_ids": [Command.set((self.invoice | self.paid_invoice).ids)]},
                "Seules des factures client comptabilisées et restant à payer peuvent être mises en litige (refusées : "
                f"{self.paid_invoice.name}).",
            ),
            (
                {"reason": "   "},
                "Exclure des factures du recouvrement ou les mettre en litige : le champ « Motif » est obligatoire.",
            ),
            (
                {"date_until": yesterday},
                f"Le recouvrement reprendrait après le {self.day(yesterday)}, un jour déjà passé : choisissez une date "
                "à venir, ou aucune.",
            ),
            (
                {"mode": "forget"},
                "Exclure des factures du recouvrement ou les mettre en litige : « forget » n'est pas un choix possible "
                "pour « Mode » (choix : Exclure du recouvrement, Mettre en litige).",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: Block.create(
                        {"mode": "dispute", "move_ids": [Command.set(self.invoice.ids)], "reason": "Contesté", **values}
                    ).action_confirm(),
                    record=self.invoice | self.paid_invoice,
                    values={"collection_dispute": False, "no_followup": False},
                )
        Exclude = self.as_user(self.fr_agent)["recouvrement.exclude.wizard"]
        self.assertRefused(
            "Exclure d'une tournée de relances : le champ « Motif » est obligatoire.",
            lambda: Exclude.create({"reason": " "}),
            count=lambda: self.count(Exclude._name),
        )

    def test_refused_dispute_date_on_the_invoice(self):
        self.assertRefused(
            f"Facture « {self.invoice.name} » : « demain » n'est pas une date pour « Litige bloquant "
            "jusqu'au » (attendu : AAAA-MM-JJ).",
            lambda: self.invoice.with_env(self.as_user(self.fr_agent)).write({"collection_dispute_until": "demain"}),
            record=self.invoice,
            values={"collection_dispute_until": False},
        )


@tagged("post_install", "-at_install")
class TestBadConfiguration(BadInputCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.single = cls.env["recouvrement.policy"].create(
            {
                "name": "Grands comptes",
                "customer_kind": "b2b",
                "level_ids": [
                    Command.create(
                        {"name": "Appel", "offset_days": 10, "channel_phone": True, "notice_deadline_days": 8}
                    )
                ],
            }
        )
        cls.debtor.with_company(cls.company).collection_policy_id = cls.single
        cls.empty = cls.env["recouvrement.policy"].create({"name": "Vide", "customer_kind": "b2c"})

    def test_refused_levels(self):
        level = self.levels[14]
        Level = self.as_user(self.fr_manager)["recouvrement.level"]
        label = "Niveau de relance « Première relance (+14 j) · Professionnels (B2B) »"
        for values, message in [
            (
                {"offset_days": 10**12},
                f"{label} : le champ « Jours après l'échéance » doit être compris entre -3{NBSP}650 et 3{NBSP}650 "
                f"(1{NBSP}000{NBSP}000{NBSP}000{NBSP}000).",
            ),
            (
                {"offset_days": 4000},
                f"{label} : le champ « Jours après l'échéance » doit être compris entre -3{NBSP}650 et 3{NBSP}650 "
                f"(4{NBSP}000).",
            ),
            (
                {"notice_deadline_days": -1},
                f"{label} : le champ « Délai (jours) » doit être compris entre 0 et 3{NBSP}650 (-1).",
            ),
            ({"name": "  "}, f"{label} : le champ « Nom » est obligatoire."),
            (
                {"mail_template_id": self.env.ref("account.email_template_edi_invoice").id},
                "Le niveau « Première relance » envoie des actions de recouvrement : son modèle d'email « "
                f"{self.env.ref('account.email_template_edi_invoice').with_context(lang='fr_FR').name} » est prévu "
                "pour un autre type de document.",
            ),
            (
                {"escalation": "bailiff"},
                f"{label} : « bailiff » n'est pas un choix possible pour « Contentieux » (choix : Aucun, Dossier "
                "contentieux, Société de recouvrement).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: level.with_env(Level.env).write(values),
                    record=level,
                    values={"offset_days": 14, "notice_deadline_days": 8, "name": "First reminder"},
                )

    def test_refused_policies(self):
        Policy = self.as_user(self.fr_manager)["recouvrement.policy"]
        policy = self.policy_b2b
        label = "Politique de recouvrement « Professionnels (B2B) »"
        for values, message in [
            (
                {"minimum_amount": -5.0},
                f"{label} : le champ « Montant minimum » ne peut pas être négatif (-5).",
            ),
            ({"name": ""}, f"{label} : le champ « Nom » est obligatoire."),
            (
                {"customer_kind": "vip"},
                f"{label} : « vip » n'est pas un choix possible pour « Clients » (choix : Professionnels, "
                "Particuliers).",
            ),
            (
                {"portal_promise_days": 0},
                f"{label} : le champ « Promesse dans les (jours) » doit être compris entre 1 et 3{NBSP}650 (0).",
            ),
            (
                {"penalty_day_basis": "360"},
                f"{label} : « 360 » n'est pas un choix possible pour « Base de calcul » (choix : 365 jours, Jours "
                "réels de l'année).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: policy.with_env(Policy.env).write(values),
                    record=policy,
                    values={"minimum_amount": 50.0, "customer_kind": "b2b", "portal_promise_days": 30},
                )
        self.assertRefused(
            "Politique de recouvrement : le champ « Nom » est obligatoire.",
            lambda: Policy.create({"name": " ", "customer_kind": "b2b"}),
            count=lambda: self.count(Policy._name),
        )

    def test_a_policy_in_use_keeps_a_level(self):
        Level = self.as_user(self.fr_manager)["recouvrement.level"]
        level = self.single.level_ids.with_env(Level.env)
        message = (
            "La politique « Grands comptes » est utilisée (choisie pour 1 client(s)) : elle doit garder au moins "
            "un niveau."
        )
        for name, action in [
            ("its last level deleted", level.unlink),
            ("its levels cleared", lambda: self.single.with_env(Level.env).write({"level_ids": [Command.clear()]})),
            ("its last level moved", lambda: level.write({"policy_id": self.empty.id})),
        ]:
            with self.subTest(input=name):
                self.assertRefused(
                    message,
                    action,
                    record=self.single,
                    values={"level_ids": level.ids},
                    count=lambda: self.count(Level._name),
                )
        self.assertRefused(
            "La politique « Grands comptes » est utilisée (choisie pour 1 client(s)) : choisissez-y une autre "
            "politique avant de la supprimer.",
            self.single.with_env(Level.env).unlink,
            record=self.single,
            values={"name": "Grands comptes"},
            error=UserError,
        )

    def test_refused_default_policies(self):
        company = self.company.with_env(self.as_user(self.fr_admin))
        name = company.name
        for values, message in [
            (
                {"collection_b2c_policy_id": self.empty.id},
                f"La politique « Vide » n'a aucun niveau : elle ne peut pas être une politique par défaut de {name}.",
            ),
            (
                {"collection_b2b_policy_id": self.policy_b2c.id},
                "La politique « Particuliers (B2C) » est destinée aux particuliers : elle ne peut pas être la "
                "politique "
                f"par défaut des professionnels de {name}.",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: company.write(values),
                    record=self.company,
                    values={
                        "collection_b2b_policy_id": self.policy_b2b.id,
                        "collection_b2c_policy_id": self.policy_b2c.id,
                    },
                )

    def test_refused_settings(self):
        Settings = self.as_user(self.fr_admin)["res.config.settings"]
        label = f"Société « {self.company.name} » : le champ"
        for values, message in [
            (
                {"collection_legal_cost_rate": 150.0},
                f"{label} « Procédure judiciaire : frais proportionnels (%) » doit être compris entre 0 et 100 (150).",
            ),
            (
                {"collection_agency_rate": -1.0},
                f"{label} « Commission de l'agence de recouvrement (%) » doit être compris entre 0 et 100 (-1).",
            ),
            (
                {"collection_legal_cost_fixed": -100.0},
                f"{label} « Procédure judiciaire : frais fixes » ne peut pas être négatif (-100).",
            ),
            (
                {"collection_ecb_checked_until": "bientôt"},
                "Paramètres de configuration : « bientôt » n'est pas une date pour « Taux BCE connus jusqu'au » "
                "(attendu : AAAA-MM-JJ).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: Settings.create(values).execute(),
                    record=self.company,
                    values={
                        "collection_legal_cost_rate": self.company.collection_legal_cost_rate,
                        "collection_agency_rate": self.company.collection_agency_rate,
                        "collection_legal_cost_fixed": self.company.collection_legal_cost_fixed,
                    },
                )

    def test_refused_risk_classes_rates_stages_and_reasons(self):
        env = self.as_user(self.fr_manager)
        risk_a = self.env.ref("recouvrement_creances.risk_class_a")
        rate = self.env["recouvrement.rate"].search([("kind", "=", "legal_other")], limit=1)
        stage = self.env.ref("recouvrement_creances.case_stage_order")
        risk_label = "Classe de risque du débiteur « Nouvelle classe »"
        cases = [
            (
                "recouvrement.risk.class",
                {"name": "Nouvelle classe", "code": risk_a.code, "sequence": 99},
                f"{risk_label} : chaque classe de risque a son propre code. Déjà pris : Code « {risk_a.code} ».",
            ),
            (
                "recouvrement.risk.class",
                {"name": "Nouvelle classe", "code": "ABC", "sequence": 99},
                f"{risk_label} : le champ « Code » compte au plus 2 caractères, « ABC » en compte 3.",
            ),
            (
                "recouvrement.risk.class",
                {"name": "Nouvelle classe", "code": "Z", "risk_weight": -1.0},
                f"{risk_label} : le champ « Poids du risque » ne peut pas être négatif (-1).",
            ),
            (
                "recouvrement.risk.class",
                {"name": "Nouvelle classe", "code": "  "},
                f"{risk_label} : le champ « Code » est obligatoire.",
            ),
            (
                "recouvrement.rate",
                {"kind": "legal_other", "date_start": rate.date_start, "rate": 9.99},
                "Taux d'intérêt publié : il existe déjà un taux de ce type en vigueur à cette date. Déjà pris : Type « "
                f"Taux de l'intérêt légal : autres cas », En vigueur à partir du « {self.day(rate.date_start)} ».",
            ),
            (
                "recouvrement.rate",
                {"kind": "euribor", "date_start": "2026-07-01", "rate": 2.0},
                "Taux d'intérêt publié : « euribor » n'est pas un choix possible pour « Type » (choix : Taux de "
                "refinancement de la BCE, Taux de l'intérêt légal : créancier particulier, Taux de l'intérêt légal : "
                "autres cas).",
            ),
            (
                "recouvrement.rate",
                {"kind": "legal_other", "date_start": "01/07/2026", "rate": 2.0},
                "Taux d'intérêt publié : « 01/07/2026 » n'est pas une date pour « En vigueur à partir du » (attendu : "
                "AAAA-MM-JJ).",
            ),
            (
                "recouvrement.case.stage",
                {"name": "Saisie", "deadline_days": -1, "deadline_name": "Dénoncer la saisie"},
                "Étape de dossier contentieux « Saisie » : le champ « Délai (jours) » doit être compris entre 0 et "
                f"3{NBSP}650 (-1).",
            ),
            (
                "recouvrement.case.stage",
                {"name": "Saisie", "prescription_years": 99},
                "Étape de dossier contentieux « Saisie » : le champ « Prescription (années) » doit être compris "
                "entre 0 "
                "et 30 (99).",
            ),
            (
                "recouvrement.dispute.reason",
                {"name": " "},
                "Motif du litige : le champ « Nom » est obligatoire.",
            ),
        ]
        for model, values, message in cases:
            with self.subTest(model=model, values=values):
                self.assertRefused(
                    message,
                    lambda model=model, values=values: env[model].create(values),
                    count=lambda model=model: self.count(model),
                )
        self.assertRefused(
            "Étape de dossier contentieux « "
            f"{stage.with_context(lang='fr_FR').name} » : le champ « Délai (mois) » doit être compris entre 0 et 120 "
            "(-6).",
            lambda: stage.with_env(env).write({"deadline_months": -6}),
            record=stage,
            values={"deadline_months": stage.deadline_months},
        )


@tagged("post_install", "-at_install")
class TestBadCases(BadInputCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls.env["recouvrement.case"]._open_for_moves(cls.invoice)
        cls.cost = cls.env["recouvrement.case.cost"].create(
            {"case_id": cls.case.id, "name": "Greffe", "amount": 35.0, "kind": "court"}
        )
        cls.lawyer = cls.env["res.partner"].create({"name": "Maître Dupont", "is_company": True})

    def test_refused_case_changes_as_agent_and_manager(self):
        label = f"Dossier contentieux « {self.case.name} »"
        tomorrow = self.today + timedelta(days=1)
        cases = [
            ({"agency_rate": 150.0}, f"{label} : le champ « Commission (%) » doit être compris entre 0 et 100 (150)."),
            (
                {"insurer_cover": -10.0},
                f"{label} : le champ « Couverture (%) » doit être compris entre 0 et 100 (-10).",
            ),
            ({"amount_penalties": -1.0}, f"{label} : le champ « Pénalités de retard » ne peut pas être négatif (-1)."),
            (
                {"stage_date": tomorrow},
                f"{label} : « À l'étape depuis le » ne peut pas être une date future ({self.day(tomorrow)}).",
            ),
            ({"stage_id": False}, f"{label} : le champ « Étape » est obligatoire."),
            (
                {"agency_id": self.lawyer.id},
                f"{label} : Maître Dupont n'est pas une société de recouvrement (cochez-le d'abord sur le contact).",
            ),
            (
                {"court_kind": "supreme"},
                f"{label} : « supreme » n'est pas un choix possible pour « Juridiction compétente » (choix : "
                "Tribunal de "
                "commerce, Tribunal judiciaire, Juge des contentieux de la protection).",
            ),
        ]
        unchanged = {
            "agency_rate": 0.0,
            "insurer_cover": 0.0,
            "stage_date": self.case.stage_date,
            "stage_id": self.case.stage_id.id,
            "agency_id": False,
            "court_kind": "commerce",
            "amount_penalties": self.case.amount_penalties,
        }
        for user in (self.fr_agent, self.fr_manager):
            for values, message in cases:
                with self.subTest(user=user.login, values=values):
                    self.assertRefused(
                        message,
                        lambda user=user, values=values: self.case.with_env(self.as_user(user)).write(values),
                        record=self.case,
                        values=unchanged,
                    )

    def test_refused_costs(self):
        Cost = self.as_user(self.fr_agent)["recouvrement.case.cost"]
        tomorrow = self.today + timedelta(days=1)
        for values, message in [
            ({"amount": 0.0}, "Le montant des frais doit être supérieur à zéro."),
            (
                {"date": tomorrow},
                f"Les frais « Huissier » du dossier {self.case.name} ne peuvent pas être datés dans le futur "
                f"({self.day(tomorrow)}).",
            ),
            ({"name": "\t"}, "Frais de dossier contentieux : le champ « Description » est obligatoire."),
            (
                {"kind": "bribe"},
                "Frais de dossier contentieux « Huissier » : « bribe » n'est pas un choix possible pour « Type » "
                "(choix "
                ": Frais de greffe, Commissaire de justice, Avocat, Société de recouvrement, Autre).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: Cost.create(
                        {"case_id": self.case.id, "name": "Huissier", "amount": 80.0, "kind": "commissaire", **values}
                    ),
                    count=lambda: self.count(Cost._name),
                )

    def test_refused_case_wizards(self):
        env = self.as_user(self.fr_admin)
        tomorrow = self.today + timedelta(days=1)
        sale_journal = self.company_data["default_journal_sale"]
        self.assertRefused(
            "Comptabilité des créances douteuses : le champ « Dépréciation (%) » doit être compris entre 0 et 100 "
            "(150).",
            lambda: env["recouvrement.case.accounting.wizard"]
            .create({"case_id": self.case.id, "operation": "impairment", "percent": 150.0})
            .action_confirm(),
            record=self.case,
            values={"accounting_move_ids": []},
        )
        for values, message in [
            (
                {"date": tomorrow},
                f"Une indemnité reçue ne peut pas être datée dans le futur ({self.day(tomorrow)}).",
            ),
            (
                {"journal_id": sale_journal.id},
                f"L'indemnité se reçoit sur un journal de banque ou de caisse de {self.company.name}, pas sur « "
                f"{sale_journal.with_context(lang='fr_FR').display_name} ».",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: env["recouvrement.insurer.indemnity.wizard"]
                    .create({"case_id": self.case.id, "amount": 100.0, **values})
                    .action_confirm(),
                    record=self.case,
                    values={"insurer_payment_ids": []},
                )


@tagged("post_install", "-at_install")
class TestBadPrevention(BadInputCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.solvency = cls.env["recouvrement.solvency"]._files_of(cls.debtor)
        cls.contact = cls.env["res.partner"].create({"name": "Jean Compta", "parent_id": cls.debtor.id})
        cls.hold = cls.env["recouvrement.credit.hold"].create({"partner_id": cls.debtor.id, "reason": "Chèque impayé"})

    def test_refused_solvency_files(self):
        agent, manager = self.as_user(self.fr_agent), self.as_user(self.fr_manager)
        yesterday = self.today - timedelta(days=1)
        self.assertRefused(
            "Fiche de solvabilité « Debtor One » : le champ « Note » doit être compris entre 0 et 100 (150).",
            lambda: self.solvency.with_env(agent).write({"score": 150}),
            record=self.solvency,
            values={"score": 0},
        )
        self.assertRefused(
            "La classe imposée à Debtor One aurait déjà pris fin "
            f"({self.day(yesterday)}) : choisissez une date à venir.",
            lambda: self.solvency.with_env(manager).write(
                {
                    "override_class_id": self.env.ref("recouvrement_creances.risk_class_a").id,
                    "override_reason": "Groupe solide",
                    "override_until": yesterday,
                }
            ),
            record=self.solvency,
            values={"override_class_id": False, "override_until": False},
        )
        for values, message in [
            (
                {"partner_id": self.debtor.id},
                "Fiche de solvabilité : un client a une seule fiche de solvabilité par société. Déjà pris : Client « "
                f"Debtor One », Société « {self.company.name} ».",
            ),
            (
                {"partner_id": self.contact.id},
                "Une fiche de solvabilité est tenue pour le client lui-même : Debtor One, Jean Compta est un contact "
                "de "
                "Debtor One.",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: agent["recouvrement.solvency"].create(values),
                    count=lambda: self.count("recouvrement.solvency"),
                )
        self.assertRefused(
            "Un chiffre d'affaires ou une dette ne peut pas être négatif.",
            lambda: agent["recouvrement.solvency.figure"].create(
                {"solvency_id": self.solvency.id, "date": yesterday, "turnover": -1.0}
            ),
            count=lambda: self.count("recouvrement.solvency.figure"),
        )

    def test_refused_credit_holds(self):
        hold = self.hold.with_env(self.as_user(self.fr_agent))
        before = hold.date_start - timedelta(days=1)
        for values, message in [
            (
                {"date_end": before},
                "Le blocage de Debtor One ne peut pas être levé "
                f"({fields.Datetime.context_timestamp(hold, before).strftime('%d/%m/%Y %H:%M:%S')}) avant d'avoir été "
                f"posé ({fields.Datetime.context_timestamp(hold, hold.date_start).strftime('%d/%m/%Y %H:%M:%S')}).",
            ),
            (
                {"cause": "boss"},
                "Blocage en crédit : « boss » n'est pas un choix possible pour « Cause » (choix : Posé à la main, "
                "Niveau de relance, Plafond de crédit dépassé).",
            ),
            ({"reason": " "}, "Indiquez pourquoi vous mettez ce client en blocage crédit."),
            (
                {"date_end": "hier"},
                "Blocage en crédit : « hier » n'est pas une date et une heure pour « Levé le » (attendu : AAAA-MM-JJ "
                "HH:MM:SS).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: hold.write(values),
                    record=self.hold,
                    values={"date_end": False, "cause": "manual", "reason": "Chèque impayé"},
                )

    def test_refused_customer_collection_settings(self):
        partner = self.debtor.with_env(self.as_user(self.fr_manager))
        for values, message in [
            (
                {"collection_agency_mandate_date": "jamais"},
                "Contact « Debtor One » : « jamais » n'est pas une date pour « Mandat signé le » (attendu : "
                "AAAA-MM-JJ).",
            ),
            (
                {"collection_insurance_notice_days": 10**11},
                "Contact « Debtor One » : le champ « Délai de déclaration (jours) » doit être compris entre "
                f"-2{NBSP}147{NBSP}483{NBSP}648 et 2{NBSP}147{NBSP}483{NBSP}647 "
                f"(100{NBSP}000{NBSP}000{NBSP}000).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: partner.write(values),
                    record=self.debtor.with_company(self.company),
                    values={"collection_agency_mandate_date": False, "collection_insurance_notice_days": 0},
                )


@tagged("post_install", "-at_install")
class TestBadPenaltiesRunsAndActions(BadInputCommon):
    def test_refused_penalties(self):
        env = self.as_user(self.fr_manager)
        tomorrow = self.today + timedelta(days=1)
        self.assertRefused(
            "Les pénalités se facturent une fois courues : elles ne peuvent pas être comptées jusqu'à une date à venir "
            f"({self.day(tomorrow)}).",
            lambda: env["recouvrement.penalty.wizard"]
            .with_context(active_model="res.partner", active_ids=self.debtor.ids)
            .create({"date": tomorrow}),
            count=lambda: self.count("recouvrement.penalty.wizard"),
        )
        base = {
            "company_id": self.company.id,
            "partner_id": self.debtor.id,
            "move_id": self.invoice.id,
            "currency_id": self.company.currency_id.id,
            "date_to": self.today,
            "penalty_amount": 10.0,
            "indemnity_amount": 40.0,
        }
        for values, message in [
            (
                {"penalty_waived": 20.0, "waiver_reason": "Geste"},
                f"{self.invoice.name} : le montant abandonné doit être compris entre zéro et le montant dû.",
            ),
            (
                {"penalty_amount": -1.0},
                "Pénalités de retard facturées : le champ « Pénalités » ne peut pas être négatif (-1).",
            ),
            (
                {"date_from": tomorrow},
                f"{self.invoice.name} : les pénalités courraient à partir du {self.day(tomorrow)}, après le jour "
                f"jusqu'auquel elles sont comptées ({self.day(self.today)}).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: env["recouvrement.penalty"].create({**base, **values}),
                    count=lambda: self.count("recouvrement.penalty"),
                )

    def test_refused_runs_and_actions(self):
        env = self.as_user(self.fr_agent)
        tomorrow = self.today + timedelta(days=1)
        for values, message in [
            (
                {"date": "2026-02-30"},
                "Tournée de relances : « 2026-02-30 » n'est pas une date pour « Date » (attendu : AAAA-MM-JJ).",
            ),
            (
                {"date": tomorrow},
                f"Une tournée de relances ne peut pas être datée dans le futur ({tomorrow}).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: env["recouvrement.run"].create(values),
                    count=lambda: self.count("recouvrement.run"),
                )
        run = self._run(self.today, execute=False, partners=self.debtor)
        action = run.action_ids[:1]
        self.assertTrue(action)
        label = f"Action de recouvrement « {action.with_context(lang='fr_FR').display_name} »"
        for values, message in [
            (
                {"registered_outcome": "lost"},
                f"{label} : « lost » n'est pas un choix possible pour « Distribution » (choix : Reçue, Retournée : pli "
                "avisé non réclamé, Retournée : refusée, Retournée : destinataire inconnu à l'adresse).",
            ),
            (
                {"registered_ack_date": "2026-13-01"},
                f"{label} : « 2026-13-01 » n'est pas une date pour « Accusé de réception » (attendu : AAAA-MM-JJ).",
            ),
        ]:
            with self.subTest(values=values):
                self.assertRefused(
                    message,
                    lambda values=values: action.with_env(env).write(values),
                    record=action,
                    values={"registered_outcome": False, "registered_ack_date": False},
                )


@tagged("post_install", "-at_install")
class TestBadInputJsonRpc(BadInputCommon, JsonRpcMixin, HttpCase):
    """The same refusals over real JSON-RPC, as the web client sends them: the error the user reads is French,
    and nothing is written."""

    def call_kw(self, user, model, method, args):
        """Call ``model.method`` as ``user`` through /web/dataset/call_kw; return the JSON-RPC error's data."""
        context = {"lang": user.lang, "tz": "Europe/Paris", "uid": user.id, "allowed_company_ids": self.company.ids}
        payload = self._call_kw(user.login, model, method, args, context)
        self.assertIn("error", payload, "the call is refused")
        return payload["error"]["data"]

    def assertRpcRefused(self, user, model, method, args, message, count=None, record=None, values=None):
        before = count() if count else None
        error = self.call_kw(user, model, method, args)
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertEqual(error["message"], message)
        self.env.invalidate_all()
        if count:
            self.assertEqual(count(), before)
        if record is not None:
            self.assertRecordValues(record, [values])

    def test_a_date_that_is_not_a_date(self):
        self.assertRpcRefused(
            self.fr_agent,
            "recouvrement.promise",
            "create",
            [
                {
                    "partner_id": self.debtor.id,
                    "move_ids": [[6, 0, self.invoice.ids]],
                    "amount": 100.0,
                    "date": "31/12/2026",
                }
            ],
            "Promesse de paiement : « 31/12/2026 » n'est pas une date pour « Date promise » (attendu : AAAA-MM-JJ).",
            count=lambda: self.count("recouvrement.promise"),
        )

    def test_an_unknown_choice(self):
        self.assertRpcRefused(
            self.fr_agent,
            "recouvrement.payment.plan.wizard",
            "create",
            [
                {
                    "partner_id": self.debtor.id,
                    "move_ids": [[6, 0, self.invoice.ids]],
                    "first_date": fields.Date.to_string(self.today + timedelta(days=10)),
                    "frequency": "daily",
                }
            ],
            "Négocier un échéancier : « daily » n'est pas un choix possible pour « Périodicité » (choix : "
            "Hebdomadaire, Mensuelle, Trimestrielle).",
            count=lambda: self.count("recouvrement.payment.plan.wizard"),
        )

    def test_a_duplicate_code(self):
        risk_a = self.env.ref("recouvrement_creances.risk_class_a")
        self.assertRpcRefused(
            self.fr_manager,
            "recouvrement.risk.class",
            "create",
            [{"name": "Doublon", "code": risk_a.code, "sequence": 99}],
            f"Classe de risque du débiteur « Doublon » : chaque classe de risque a son propre code. Déjà pris : Code « "
            f"{risk_a.code} ».",
            count=lambda: self.count("recouvrement.risk.class"),
        )

    def test_an_integer_out_of_range(self):
        level = self.levels[14]
        self.assertRpcRefused(
            self.fr_manager,
            "recouvrement.level",
            "write",
            [level.ids, {"offset_days": 10**12}],
            "Niveau de relance « Première relance (+14 j) · Professionnels (B2B) » : "
            "le champ « Jours après l'échéance » doit être compris "
            "entre "
            f"-3{NBSP}650 et 3{NBSP}650 (1{NBSP}000{NBSP}000{NBSP}000{NBSP}000).",
            record=level,
            values={"offset_days": 14},
        )

    def test_an_amount_that_is_not_a_number(self):
        self.assertRpcRefused(
            self.fr_agent,
            "recouvrement.case.cost",
            "create",
            [
                {
                    "case_id": self.env["recouvrement.case"]._open_for_moves(self.invoice).id,
                    "name": "Greffe",
                    "amount": float("inf"),
                }
            ],
            "Frais de dossier contentieux « Greffe » : le champ « Montant » doit être un nombre, « inf » n'en est "
            "pas un.",
            count=lambda: self.count("recouvrement.case.cost"),
        )
