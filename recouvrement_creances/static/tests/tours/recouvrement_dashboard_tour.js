import { registry } from "@web/core/registry";

// The manager opens the collection dashboard and drills from an ageing column down to an invoice.
registry.category("web_tour.tours").add("recouvrement_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows the total receivable and the DSO",
            trigger: ".o_recouvrement_dashboard .o_recouvrement_total",
        },
        {
            content: "The DSO is written the French way (a decimal comma, never a point)",
            trigger: ".o_recouvrement_dso:contains(' jours'):not(:contains('.'))",
        },
        {
            content: "The customer that weighs most is in the top debtors",
            trigger: '.o_recouvrement_top tr:contains("Tour Tableau de Bord")',
        },
        {
            content: "Open the debts 91 to 180 days overdue",
            trigger: ".o_recouvrement_bucket_91_180:contains('91–180')",
            run: "click",
        },
        {
            content: "The invoices of that column are listed",
            trigger: '.o_breadcrumb:contains("91–180") .o_last_breadcrumb_item',
        },
        {
            content: "Open the customer's invoice",
            trigger: '.o_list_view .o_data_row td[name="invoice_partner_display_name"]:contains("Tour Tableau de Bord")',
            run: "click",
        },
        {
            content: "The invoice opens",
            trigger: '.o_form_view .o_field_widget[name="partner_id"]:contains("Tour Tableau de Bord")',
        },
        {
            content: "Back to the dashboard through the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item:first a",
            run: "click",
        },
        {
            content: "The dashboard is back",
            trigger: ".o_recouvrement_dashboard .o_recouvrement_bucket_91_180",
        },
    ],
});
