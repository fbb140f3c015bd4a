import { registry } from "@web/core/registry";

// A credit manager fetches the day's BODACC announcements, opens the case of the customer in collective
// proceedings and sends its declaration of claim.
registry.category("web_tour.tours").add("recouvrement_insolvency_tour", {
    steps: () => [
        {
            content: "Fetch the announcements from the configured address",
            trigger: 'button[name="action_fetch"]:contains("Récupérer maintenant")',
            run: "click",
        },
        {
            content: "The announcements just imported are listed",
            trigger: '.o_breadcrumb:contains("Annonces importées")',
        },
        {
            content: "The customer's announcement is matched; open it",
            trigger: '.o_data_row:contains("Rapprochée") td[name="debtor_name"]:contains("TOUR ATELIERS INSOLVABLES")',
            run: "click",
        },
        {
            content: "It opened a case: open it",
            trigger: 'button[name="action_open_cases"]',
            run: "click",
        },
        {
            content: "The case says what to declare, and by when",
            trigger: '.alert:contains("Déclarer la créance avant le"):contains("SELARL TOUR MANDATAIRE")',
        },
        {
            content: "The invoice dated before the judgment is in it",
            trigger: '.o_field_widget[name="move_ids"] .o_data_row',
        },
        {
            content: "Send the declaration of claim",
            trigger: 'button[name="action_insolvency_send_declaration"]:contains("Envoyer la déclaration")',
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The case moved to the declared claim, with its declaration kept as sent",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Créance déclarée")',
            timeout: 60000, // the letter and the evidence file rendered by wkhtmltopdf
        },
        {
            content: "Open the tab of the proceedings",
            trigger: '.o_notebook .nav-link:contains("Procédure collective")',
            run: "click",
        },
        {
            content: "The declaration is on the case",
            trigger: '.o_form_view .o_field_widget[name="insolvency_declaration_attachment_id"]:contains("Déclaration de créance")',
        },
    ],
});
