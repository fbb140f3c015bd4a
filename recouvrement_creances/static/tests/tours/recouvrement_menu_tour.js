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
            content: "The list shows what remains due, the days late, the level and the next step",
            trigger:
                '.o_list_renderer:has(th:contains("Reste dû")):has(th:contains("Jours de retard"))' +
                ':has(th:contains("Niveau de relance")):has(th:contains("Date de la prochaine relance"))',
        },
        {
            content: "An invoice not yet due is not listed",
            trigger: '.o_list_renderer:not(:has(.o_data_row:contains("Soleil Informatique SAS")))',
        },
    ],
});
