"""Builds the benchmark data set on a database that has the addon installed without demo data.

    python generate.py ODOO_CONF DATABASE full|small|large

full: 20,000 debtors (80 % businesses), 100,000 open posted customer invoices (not due, and 1 to 400
days overdue, some partly paid) and 100,000 fully paid historical invoices. small: a tenth of it. large:
50,000 debtors, 250,000 open and 250,000 paid invoices.

A few hundred invoices and payments are created and posted through the ORM. They are then multiplied
at the SQL level: each copy takes every column of its template row, with its own partner, dates, name
and sequence number, and its own reconciliations. Amounts are the template's, so each copy is as
balanced and as reconciled as its template. The result is then checked against Odoo itself (see
``check``), and the script fails if any check fails.
"""

import io
import random
import re
import sys
import time
from collections import defaultdict
from datetime import timedelta

from odoo_env import odoo_env

from odoo import Command, fields
from odoo.tools import SQL

SIZES = {
    "full": {"debtors": 20_000, "open": 100_000, "paid": 100_000},
    "small": {"debtors": 2_000, "open": 10_000, "paid": 10_000},
    "large": {"debtors": 50_000, "open": 250_000, "paid": 250_000},
}
BIG_DEBTOR_OPEN = 200  # the open templates all belong to one debtor: the "opening a debtor" measure
PARTIAL_TEMPLATES = 30  # open templates that are partly paid
PAID_TEMPLATES = 100
SEED = 20260302

# Share of debtors per profile, and the age (days after the due date) of their oldest open invoice.
PROFILES = [
    (0.15, (-30, -1)),  # not due yet
    (0.50, (14, 29)),  # slightly late: the "first reminder" level
    (0.20, (30, 120)),  # late
    (0.15, (121, 400)),  # bad payers
]
TERM_DAYS = 30

SURNAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel "
    "Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre Mercier Dupont Lambert Bonnet Francois "
    "Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu"
).split()
FIRST_NAMES = "Camille Julien Sophie Nicolas Claire Thomas Léa Hugo Manon Lucas Chloé Louis Inès Paul Emma".split()
FORMS = ["SARL", "SAS", "SASU", "EURL", "SA"]
TRADES = [
    "Bâtiment",
    "Transports",
    "Menuiserie",
    "Électricité",
    "Distribution",
    "Plomberie",
    "Boulangerie",
    "Imprimerie",
    "Paysage",
    "Informatique",
]
CITIES = [
    ("69003", "Lyon"),
    ("69100", "Villeurbanne"),
    ("42000", "Saint-Étienne"),
    ("38000", "Grenoble"),
    ("01000", "Bourg-en-Bresse"),
    ("73000", "Chambéry"),
    ("26000", "Valence"),
    ("75011", "Paris"),
    ("13002", "Marseille"),
    ("33000", "Bordeaux"),
]


def log(message, started=None):
    suffix = f" ({time.monotonic() - started:.1f} s)" if started else ""
    print(f"[generate] {message}{suffix}", flush=True)


class Generator:
    def __init__(self, env, size):
        self.env = env
        self.cr = env.cr
        self.sizes = SIZES[size]
        self.rng = random.Random(SEED)
        self.company = env.company
        self.today = fields.Date.context_today(env["res.users"])
        self.expected_credit = defaultdict(float)

    # ------------------------------------------------------------------
    # ORM templates
    # ------------------------------------------------------------------

    def create_templates(self):
        started = time.monotonic()
        env = self.env
        partners = env["res.partner"].create(
            [
                {
                    "name": "Grands Comptes Rhodaniens SA",
                    "is_company": True,
                    "email": "compta@grands-comptes-rhodaniens.example",
                    "street": "12 quai Perrache",
                    "zip": "69002",
                    "city": "Lyon",
                    "country_id": env.ref("base.fr").id,
                    "lang": "fr_FR",
                },
                {"name": "Modèle société", "is_company": True, "active": False, "country_id": env.ref("base.fr").id},
                {
                    "name": "Modèle particulier",
                    "is_company": False,
                    "active": False,
                    "country_id": env.ref("base.fr").id,
                },
            ]
        )
        self.big_debtor, self.company_template, self.person_template = partners
        tax = self.company.account_sale_tax_id
        vals_list = []
        ages = self._ages(BIG_DEBTOR_OPEN, (121, 400))
        for index in range(BIG_DEBTOR_OPEN + PAID_TEMPLATES):
            due = self.today - timedelta(days=ages[index] if index < BIG_DEBTOR_OPEN else 400 + index)
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.big_debtor.id,
                    "invoice_date": due - timedelta(days=TERM_DAYS),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Prestation {index + 1}.{line}",
                                "quantity": self.rng.randint(1, 10),
                                "price_unit": round(self.rng.uniform(40, 2500), 2),
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for line in range(self.rng.randint(1, 3))
                    ],
                }
            )
        invoices = env["account.move"].create(vals_list)
        invoices.sorted("invoice_date").action_post()
        self.open_templates = invoices[:BIG_DEBTOR_OPEN]
        self.paid_templates = invoices[BIG_DEBTOR_OPEN:]
        partial = self.open_templates[:PARTIAL_TEMPLATES]
        self._pay(partial, lambda invoice: round(invoice.amount_total * self.rng.choice((0.2, 0.3, 0.5)), 2))
        self._pay(self.paid_templates, lambda invoice: invoice.amount_total)
        self.env.flush_all()  # the copies are made in SQL from the templates' rows
        log(f"{len(invoices)} template invoices and {len(partial) + len(self.paid_templates)} payments", started)

    def _pay(self, invoices, amount):
        """One bank entry per invoice, reconciled with it: ``amount(invoice)`` paid at the due date."""
        amounts = {invoice.id: amount(invoice) for invoice in invoices}
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        entries = self.env["account.move"].create(
            [
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": min(invoice.invoice_date_due, self.today),
                    "ref": f"Règlement {invoice.name}",
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": journal.default_account_id.id,
                                "debit": amounts[invoice.id],
                                "name": "Virement",
                            }
                        ),
                        Command.create(
                            {
                                "account_id": invoice.partner_id.property_account_receivable_id.id,
                                "partner_id": invoice.partner_id.id,
                                "credit": amounts[invoice.id],
                                "name": f"Règlement {invoice.name}",
                            }
                        ),
                    ],
                }
                for invoice in invoices
            ]
        )
        entries.action_post()
        for invoice, entry in zip(invoices, entries, strict=True):
            (invoice.line_ids | entry.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).reconcile()
        self.payment_of = getattr(self, "payment_of", {}) | {
            invoice.id: entry.id for invoice, entry in zip(invoices, entries, strict=True)
        }

    def _ages(self, count, oldest_range):
        """``count`` ages in days after the due date: one at the profile's oldest, the others younger."""
        oldest = self.rng.randint(*oldest_range)
        low = min(PROFILES[0][1][0], oldest)
        return [oldest] + [self.rng.randint(low, oldest) for _ in range(count - 1)]

    # ------------------------------------------------------------------
    # SQL multiplication
    # ------------------------------------------------------------------

    def _copy(self, table, rows, columns):
        """COPY ``rows`` (tuples for ``columns``) into the temporary table ``table``."""
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
        buffer.seek(0)
        self.cr._obj.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)

    def _columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [name for (name,) in self.cr.fetchall()]

    def _clone(self, table, source, overrides):
        """INSERT into ``table`` one row per row of ``source`` (SQL, with the template row aliased ``t``),
        every column copied from ``t`` unless ``overrides`` gives its SQL expression."""
        columns = self._columns(table)
        select = ", ".join(overrides.get(column, f"t.{column}") for column in columns)
        self.cr.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} {source}")
        return self.cr.rowcount

    def create_partners(self):
        started = time.monotonic()
        count = self.sizes["debtors"] - 1  # the big debtor is one of them
        self.cr.execute(
            "CREATE TEMP TABLE map_partner (new_id integer DEFAULT nextval('res_partner_id_seq'), n integer, "
            "template_id integer, name varchar, email varchar, street varchar, zip varchar, city varchar)"
        )
        rows = []
        for n in range(count):
            is_company = n % 5 != 4  # 80 % businesses
            surname = self.rng.choice(SURNAMES)
            if is_company:
                name = f"{self.rng.choice(FORMS)} {surname} {self.rng.choice(TRADES)} {n + 1:05d}"
            else:
                name = f"{self.rng.choice(FIRST_NAMES)} {surname} {n + 1:05d}"
            zip_code, city = self.rng.choice(CITIES)
            rows.append(
                (
                    n,
                    (self.company_template if is_company else self.person_template).id,
                    name,
                    f"debiteur{n + 1:05d}@example.com",
                    f"{self.rng.randint(1, 120)} rue {surname}",
                    zip_code,
                    city,
                )
            )
        self._copy("map_partner", rows, ["n", "template_id", "name", "email", "street", "zip", "city"])
        self._clone(
            "res_partner",
            "FROM map_partner m JOIN res_partner t ON t.id = m.template_id",
            {
                "id": "m.new_id",
                "name": "m.name",
                "complete_name": "m.name",
                "commercial_company_name": "CASE WHEN t.is_company THEN m.name END",
                "commercial_partner_id": "m.new_id",
                "email": "m.email",
                "email_normalized": "m.email",
                "street": "m.street",
                "zip": "m.zip",
                "city": "m.city",
                "lang": "'fr_FR'",
                "active": "TRUE",
                "customer_rank": "1",
                "create_date": "now() at time zone 'UTC'",
                "write_date": "now() at time zone 'UTC'",
            },
        )
        self.cr.execute("SELECT new_id FROM map_partner ORDER BY n")
        self.debtor_ids = [new_id for (new_id,) in self.cr.fetchall()]
        log(f"{len(self.debtor_ids)} debtors", started)

    def plan_invoices(self):
        """One row per copied move: (key, template move, partner, date, invoice date, due date)."""
        started = time.monotonic()
        open_count = self.sizes["open"] - BIG_DEBTOR_OPEN
        # Every debtor has at least one open invoice, the rest is spread at random.
        owners = list(range(len(self.debtor_ids))) + [
            self.rng.randrange(len(self.debtor_ids)) for _ in range(open_count - len(self.debtor_ids))
        ]
        invoices_of = defaultdict(int)
        for owner in owners:
            invoices_of[owner] += 1
        moves = []  # (key, template_id, partner_id, date, invoice_date, invoice_date_due)
        key = 0
        for owner, count in invoices_of.items():
            draw, cumulated = self.rng.random(), 0.0
            oldest_range = PROFILES[-1][1]
            for share, age_range in PROFILES:
                cumulated += share
                if draw < cumulated:
                    oldest_range = age_range
                    break
            for age in self._ages(count, oldest_range):
                template = self.open_templates[self.rng.randrange(BIG_DEBTOR_OPEN)]
                due = self.today - timedelta(days=age)
                invoice_date = due - timedelta(days=TERM_DAYS)
                key += 1
                moves.append((key, template.id, self.debtor_ids[owner], invoice_date, invoice_date, due))
                if template.id in self.payment_of:
                    paid_on = invoice_date + timedelta(days=self.rng.randint(0, (self.today - invoice_date).days))
                    moves.append((key, self.payment_of[template.id], self.debtor_ids[owner], paid_on, None, None))
        for _index in range(self.sizes["paid"] - PAID_TEMPLATES):
            template = self.paid_templates[self.rng.randrange(PAID_TEMPLATES)]
            invoice_date = self.today - timedelta(days=self.rng.randint(60, 730))
            due = invoice_date + timedelta(days=TERM_DAYS)
            paid_on = min(due + timedelta(days=self.rng.randint(-20, 45)), self.today - timedelta(days=1))
            partner_id = self.debtor_ids[self.rng.randrange(len(self.debtor_ids))]
            key += 1
            moves.append((key, template.id, partner_id, invoice_date, invoice_date, due))
            moves.append((key, self.payment_of[template.id], partner_id, paid_on, None, None))
        self.planned_moves = moves
        log(f"{len(moves)} moves planned", started)

    def _names(self):
        """Name, prefix and number of every planned move, continuing each journal's sequence."""
        templates = self.env["account.move"].browse({move[1] for move in self.planned_moves})
        info = {
            move.id: (move.sequence_prefix, move.date, len(move.name) - len(move.sequence_prefix)) for move in templates
        }
        prefixes = []
        for _key, template_id, _partner, date, *_rest in self.planned_moves:
            prefix, template_date, _padding = info[template_id]
            prefix = prefix.replace(str(template_date.year), str(date.year))
            prefix = re.sub(rf"/{template_date.month:02d}/$", f"/{date.month:02d}/", prefix)
            prefixes.append(prefix)
        self.cr.execute(
            "SELECT sequence_prefix, max(sequence_number) FROM account_move WHERE sequence_prefix = ANY(%s) "
            "GROUP BY sequence_prefix",
            [list(set(prefixes))],
        )
        last = dict(self.cr.fetchall())
        order = sorted(range(len(self.planned_moves)), key=lambda i: (self.planned_moves[i][3], i))
        names = [None] * len(self.planned_moves)
        for i in order:
            prefix = prefixes[i]
            last[prefix] = last.get(prefix, 0) + 1
            padding = info[self.planned_moves[i][1]][2]
            names[i] = (f"{prefix}{last[prefix]:0{padding}d}", prefix, last[prefix])
        return names

    def create_moves(self):
        started = time.monotonic()
        cr = self.cr
        cr.execute(
            "CREATE TEMP TABLE map_move (new_id integer DEFAULT nextval('account_move_id_seq'), key integer, "
            "template_id integer, partner_id integer, date date, invoice_date date, invoice_date_due date, "
            "name varchar, sequence_prefix varchar, sequence_number integer, partner_name varchar)"
        )
        names = self._names()
        self._copy(
            "map_move",
            [(*move, *name) for move, name in zip(self.planned_moves, names, strict=True)],
            ["key", "template_id", "partner_id", "date", "invoice_date", "invoice_date_due", "name",
             "sequence_prefix", "sequence_number"],
        )  # fmt: skip
        cr.execute(
            "UPDATE map_move m SET partner_name = p.name FROM res_partner p WHERE p.id = m.partner_id;"
            "CREATE INDEX ON map_move (template_id); ANALYZE map_move"
        )
        # Reconciliations first: the lines refer to them.
        cr.execute(
            "CREATE TEMP TABLE map_full AS SELECT nextval('account_full_reconcile_id_seq')::integer AS new_id, "
            "x.key, x.template_id FROM (SELECT DISTINCT m.key, l.full_reconcile_id AS template_id FROM map_move m "
            "JOIN account_move_line l ON l.move_id = m.template_id WHERE l.full_reconcile_id IS NOT NULL) x;"
            "CREATE INDEX ON map_full (key)"
        )
        self._clone(
            "account_full_reconcile",
            "FROM map_full m JOIN account_full_reconcile t ON t.id = m.template_id",
            {"id": "m.new_id", "exchange_move_id": "NULL", "create_date": "now()", "write_date": "now()"},
        )
        moves = self._clone(
            "account_move",
            "FROM map_move m JOIN account_move t ON t.id = m.template_id",
            {
                "id": "m.new_id",
                "name": "m.name",
                "sequence_prefix": "m.sequence_prefix",
                "sequence_number": "m.sequence_number",
                "date": "m.date",
                "invoice_date": "COALESCE(m.invoice_date, t.invoice_date)",
                "invoice_date_due": "COALESCE(m.invoice_date_due, t.invoice_date_due)",
                "partner_id": "CASE WHEN t.partner_id IS NOT NULL THEN m.partner_id END",
                "commercial_partner_id": "CASE WHEN t.commercial_partner_id IS NOT NULL THEN m.partner_id END",
                "partner_shipping_id": "CASE WHEN t.partner_shipping_id IS NOT NULL THEN m.partner_id END",
                "invoice_partner_display_name": "CASE WHEN t.invoice_partner_display_name IS NOT NULL "
                "THEN m.partner_name END",
                "payment_reference": "CASE WHEN t.payment_reference IS NOT NULL THEN m.name END",
                "ref": "CASE WHEN t.move_type = 'entry' THEN 'Règlement ' || m.name ELSE t.ref END",
                "access_token": "NULL",
                "inalterable_hash": "NULL",
                "secure_sequence_number": "NULL",
                "message_main_attachment_id": "NULL",
                "create_date": "now()",
                "write_date": "now()",
            },
        )
        cr.execute(
            "CREATE TEMP TABLE map_line AS SELECT nextval('account_move_line_id_seq')::integer AS new_id, "
            "l.id AS template_id, m.key, m.new_id AS move_id, m.partner_id, m.date, m.invoice_date_due, m.name "
            "FROM map_move m JOIN account_move_line l ON l.move_id = m.template_id;"
            "CREATE INDEX ON map_line (template_id, key); ANALYZE map_line;"
            "CREATE TEMP TABLE map_partial AS SELECT nextval('account_partial_reconcile_id_seq')::integer AS new_id, "
            "p.id AS template_id, d.key, d.new_id AS debit_id, c.new_id AS credit_id, GREATEST(d.date, c.date) AS date "
            "FROM account_partial_reconcile p JOIN map_line d ON d.template_id = p.debit_move_id "
            "JOIN map_line c ON c.template_id = p.credit_move_id AND c.key = d.key;"
            "CREATE INDEX ON map_partial (debit_id); CREATE INDEX ON map_partial (credit_id)"
        )
        lines = self._clone(
            "account_move_line",
            "FROM map_line m JOIN account_move_line t ON t.id = m.template_id "
            "LEFT JOIN map_full f ON f.key = m.key AND f.template_id = t.full_reconcile_id "
            "LEFT JOIN map_partial pd ON pd.debit_id = m.new_id LEFT JOIN map_partial pc ON pc.credit_id = m.new_id",
            {
                "id": "m.new_id",
                "move_id": "m.move_id",
                "move_name": "m.name",
                "partner_id": "CASE WHEN t.partner_id IS NOT NULL THEN m.partner_id END",
                "date": "m.date",
                "invoice_date": "CASE WHEN t.invoice_date IS NOT NULL THEN m.date END",
                "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL "
                "ELSE COALESCE(m.invoice_date_due, m.date) END",
                "full_reconcile_id": "f.new_id",
                "matching_number": "CASE WHEN t.matching_number IS NULL THEN NULL "
                "WHEN f.new_id IS NOT NULL THEN f.new_id::text ELSE 'P' || COALESCE(pd.new_id, pc.new_id) END",
                "create_date": "now()",
                "write_date": "now()",
            },
        )
        partials = self._clone(
            "account_partial_reconcile",
            "FROM map_partial m JOIN account_partial_reconcile t ON t.id = m.template_id "
            "LEFT JOIN map_full f ON f.key = m.key AND f.template_id = t.full_reconcile_id",
            {
                "id": "m.new_id",
                "debit_move_id": "m.debit_id",
                "credit_move_id": "m.credit_id",
                "full_reconcile_id": "f.new_id",
                "max_date": "m.date",
                "exchange_move_id": "NULL",
                "create_date": "now()",
                "write_date": "now()",
            },
        )
        for rel, column in (
            ("account_move_line_account_tax_rel", "account_tax_id"),
            ("account_account_tag_account_move_line_rel", "account_account_tag_id"),
        ):
            cr.execute(
                f"INSERT INTO {rel} (account_move_line_id, {column}) SELECT m.new_id, r.{column} "
                f"FROM map_line m JOIN {rel} r ON r.account_move_line_id = m.template_id"
            )
        log(f"{moves} moves, {lines} lines, {partials} reconciliations", started)

    def compute_expected_credit(self):
        """What each debtor owes, from the templates' receivable residuals: the figure Odoo must find."""
        residual = {}
        for line in (self.open_templates | self.paid_templates).line_ids | self.env["account.move"].browse(
            list(self.payment_of.values())
        ).line_ids:
            if line.account_id.account_type == "asset_receivable":
                residual[line.move_id.id] = residual.get(line.move_id.id, 0.0) + line.amount_residual
        for _key, template_id, partner_id, *_rest in self.planned_moves:
            self.expected_credit[partner_id] += residual[template_id]
        # The templates themselves are the big debtor's invoices.
        self.expected_credit[self.big_debtor.id] += sum(residual.values())

    # ------------------------------------------------------------------
    # Checks against Odoo
    # ------------------------------------------------------------------

    def check(self):
        started = time.monotonic()
        env = self.env
        env.invalidate_all()
        partners = env["res.partner"].browse(list(self.expected_credit))
        wrong = [
            (partner.id, partner.credit, self.expected_credit[partner.id])
            for partner in partners.with_context(prefetch_fields=False)
            if self.company.currency_id.compare_amounts(partner.credit, self.expected_credit[partner.id])
        ]
        if wrong:
            raise AssertionError(f"{len(wrong)} debtors with a wrong credit, e.g. {wrong[:5]}")
        log(f"credit of all {len(partners)} debtors as Odoo computes it = the expected total", started)

        cr = self.cr
        cr.execute("SELECT new_id FROM map_move ORDER BY random() LIMIT 500")
        moves = env["account.move"].browse([move_id for (move_id,) in cr.fetchall()])
        if moves._get_unbalanced_moves({"records": moves}):
            raise AssertionError("unbalanced moves in the sample")
        checked = [
            (moves, ["amount_untaxed", "amount_tax", "amount_total", "amount_residual", "payment_state"]),
            (moves.line_ids, ["amount_residual", "amount_residual_currency", "reconciled"]),
            (moves.partner_id, ["commercial_partner_id", "complete_name", "commercial_company_name"]),
        ]
        cr.execute("SAVEPOINT bench_check")
        for records, names in checked:
            records._validate_fields(set(records._fields))
            stored = {record.id: [record[name] for name in names] for record in records}
            for name in names:
                env.add_to_compute(records._fields[name], records)
            records._recompute_recordset(names)
            differences = [
                (record.id, name, stored[record.id][index], record[name])
                for record in records
                for index, name in enumerate(names)
                if record[name] != stored[record.id][index]
            ]
            if differences:
                raise AssertionError(
                    f"{records._name}: stored values differ from Odoo's computation: {differences[:5]}"
                )
        cr.execute("ROLLBACK TO SAVEPOINT bench_check")
        env.invalidate_all()
        log(
            f"sample of {len(moves)} moves: balanced, constraints of moves, lines and partners pass, stored "
            "amounts, residuals and payment states equal Odoo's recomputation",
            started,
        )

    def run(self):
        started = time.monotonic()
        self.create_templates()
        self.create_partners()
        self.plan_invoices()
        self.create_moves()
        self.compute_expected_credit()
        self.env.invalidate_all()
        self.cr.execute("ANALYZE")
        self.check()
        self.cr.execute(
            SQL(
                "SELECT count(*) FILTER (WHERE payment_state IN ('not_paid', 'partial')), "
                "count(*) FILTER (WHERE payment_state = 'partial'), count(*) FILTER (WHERE payment_state = 'paid'), "
                "count(DISTINCT commercial_partner_id) "
                "FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted' AND company_id = %s",
                self.company.id,
            )
        )
        open_count, partial_count, paid_count, debtors = self.cr.fetchone()
        self.env["ir.config_parameter"].set_param("recouvrement_bench.date", fields.Date.to_string(self.today))
        self.env["ir.config_parameter"].set_param("recouvrement_bench.big_debtor_id", str(self.big_debtor.id))
        log(
            f"done: {debtors} debtors, {open_count} open invoices ({partial_count} partly paid), "
            f"{paid_count} paid invoices",
            started,
        )


def main():
    conf, dbname, size = sys.argv[1:4]
    with odoo_env(conf, dbname) as env:
        Generator(env, size).run()
        env.cr.commit()


if __name__ == "__main__":
    main()
