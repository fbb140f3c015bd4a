import { registry } from "@web/core/registry";

// A manager opens a late customer, previews its penalties, waives the indemnity with a reason and
// invoices the penalties.
registry.category("web_tour.tours").add("recouvrement_penalty_tour", {
    steps: () => [
        {
            content: "Open the customer's collection tab",
            trigger: 'a.nav-link:contains("Recouvrement")',
            run: "click",
        },
        {
            content: "The penalties accrued to date are shown",
            trigger: 'label:contains("Pénalités de retard à ce jour")',
        },
        {
            content: "Invoice the penalties",
            trigger: 'button[name="action_collection_invoice_penalties"]:contains("Facturer les pénalités")',
            run: "click",
        },
        {
            content: "The preview lists the late invoice with its indemnity",
            trigger: '.modal .o_data_row td[name="indemnity_amount"]:contains("40,00")',
        },
        {
            content: "Waive the indemnity",
            trigger: '.modal .o_data_row td[name="indemnity_waived"]',
            run: "click",
        },
        {
            content: "Type the amount waived",
            trigger: '.modal .o_data_row td[name="indemnity_waived"] input',
            run: "edit 40",
        },
        {
            content: "Give the reason",
            trigger: '.modal .o_data_row td[name="waiver_reason"]',
            run: "click",
        },
        {
            content: "Type the reason",
            trigger: '.modal .o_data_row td[name="waiver_reason"] input',
            run: "edit Geste commercial",
        },
        {
            content: "Invoice",
            trigger: '.modal button[name="action_invoice"]:contains("Facturer les pénalités")',
            run: "click",
        },
        {
            content: "The penalty invoice is open, with its penalty line",
            trigger: '.o_form_view .o_data_row:contains("Pénalités de retard sur")',
        },
    ],
});
