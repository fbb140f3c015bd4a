"""19.0.1.5.0: a customer's collection block and collection contact become company-dependent, so that one
company's collector no longer blocks another's reminders. Each value is kept for the partner's company, or for
every company when the partner is shared."""

COMPANY_DEPENDENT = ("collection_contact_id", "collection_block_reason", "collection_block_until")


def migrate(cr, version):
    for column in COMPANY_DEPENDENT:
        cr.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'res_partner' AND column_name = %s",
            [column],
        )
        row = cr.fetchone()
        if not row or row[0] == "jsonb":
            continue
        cr.execute(f"ALTER TABLE res_partner RENAME COLUMN {column} TO {column}_before_company")
        cr.execute(f"ALTER TABLE res_partner ADD COLUMN {column} jsonb")
        cr.execute(
            f"""UPDATE res_partner partner
                   SET {column} = CASE
                       WHEN partner.company_id IS NOT NULL
                       THEN jsonb_build_object(partner.company_id::text, to_jsonb(partner.{column}_before_company))
                       ELSE (SELECT jsonb_object_agg(company.id::text, to_jsonb(partner.{column}_before_company))
                               FROM res_company company)
                   END
                 WHERE partner.{column}_before_company IS NOT NULL"""
        )
        cr.execute(f"ALTER TABLE res_partner DROP COLUMN {column}_before_company")
