# Configures the demo company: a French SARL in Lyon. Run through `odoo shell` (env is given).
# ruff: noqa: F821
import base64
import os

company = env.ref("base.main_company")
logo_path = os.path.join(os.environ["RECOUVREMENT_ROOT"], "scripts", "demo", "logo.png")
with open(logo_path, "rb") as logo:
    company.logo = base64.b64encode(logo.read())
company.write(
    {
        "name": "Rhône Équipements Pro SARL",
        "street": "27 rue Servient",
        "zip": "69003",
        "city": "Lyon",
        "country_id": env.ref("base.fr").id,
        "currency_id": env.ref("base.EUR").id,
        "phone": "+33 4 78 95 40 00",
        "email": "comptabilite@rhone-equipements.fr",
        "website": "https://www.rhone-equipements.fr",
        "vat": "FR03842137507",
        "company_registry": "84213750700013",
    }
)
env["res.lang"]._activate_lang("fr_FR")
(env.ref("base.user_admin").partner_id | company.partner_id).lang = "fr_FR"
env.ref("base.user_admin").tz = "Europe/Paris"
env.cr.commit()
