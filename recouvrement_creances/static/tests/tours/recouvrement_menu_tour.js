import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Opens Comptabilité > Recouvrement > Factures en retard and checks what the list shows.
registry.category("web_tour.tours").add("recouvrement_menu_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open the accounting app"),
        {
            content: "Open the collection menu",
            trigger: '.o_menu_sections [data-menu-xmlid="recouvrement_creances.menu_recouvrement_root"]:contains("Recouvrement")',
            run: "click",
        },
        {
            content: "Open the overdue invoices",
            trigger: '[data-menu-xmlid="recouvrement_creances.menu_recouvrement_overdue"]:contains("Factures en retard")',
            run: "click",
        },
        {
            content: "The French title is shown",
            trigger: '.o_breadcrumb:contains("Factures en retard")',
        },
        {
            content: "An invoice 120 days overdue is listed",
            trigger: '.o_data_row:contains("Fromagerie de Savoie SA")',
        },
        {
            content: "An invoice not yet due is not listed",
            trigger: '.o_list_renderer:not(:has(.o_data_row:contains("Soleil Informatique SAS")))',
        },
    ],
});
