import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A manager proposes a run, reviews it grouped by debtor, excludes one debtor and executes the rest.
registry.category("web_tour.tours").add("recouvrement_run_tour", {
    url: "/odoo/action-recouvrement_creances.action_recouvrement_run",
    steps: () => [
        {
            content: "Create a run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Propose the actions",
            trigger: 'button[name="action_propose"]:contains("Proposer")',
            run: "click",
        },
        {
            content: "Open the review screen",
            trigger: 'button[name="action_open_actions"]:contains("Revoir")',
            run: "click",
        },
        {
            content: "Open the group of the debtor to exclude",
            trigger: '.o_group_header:contains("Tour Debtor B")',
            run: "click",
        },
        {
            content: "Select its action",
            trigger: '.o_data_row:contains("Tour Debtor B") .o_list_record_selector input',
            run: "click",
        },
        {
            content: "Exclude it",
            trigger: 'button[name="action_cancel"]:contains("Exclure")',
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: '.modal div[name="reason"] input',
            run: "edit Règlement annoncé par le client",
        },
        {
            content: "Confirm the exclusion",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The excluded action is cancelled",
            trigger: '.o_data_row:contains("Tour Debtor B"):contains("Annulée")',
        },
        {
            content: "Open the group of the other debtor",
            trigger: '.o_group_header:contains("Tour Debtor A")',
            run: "click",
        },
        {
            content: "Select its action",
            trigger: '.o_data_row:contains("Tour Debtor A") .o_list_record_selector input',
            run: "click",
        },
        {
            content: "Execute the selection",
            trigger: 'button[name="action_execute"]:contains("Exécuter")',
            run: "click",
        },
        {
            content: "The email is queued: the action is in progress",
            trigger: '.o_data_row:contains("Tour Debtor A"):contains("En cours")',
        },
    ],
});

// A collector opens today's calls and logs a promise to pay.
registry.category("web_tour.tours").add("recouvrement_call_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open the accounting app"),
        {
            content: "Open the collection menu",
            trigger: '.o_menu_sections [data-menu-xmlid="recouvrement_creances.menu_recouvrement_root"]',
            run: "click",
        },
        {
            content: "Open today's follow-ups",
            trigger: '[data-menu-xmlid="recouvrement_creances.menu_recouvrement_worklist"]:contains("Mes relances du jour")',
            run: "click",
        },
        {
            content: "The worklist opens with its groups unfolded: the calls in progress are listed at once",
            trigger: '.o_group_header.o_group_open:contains("En cours")',
        },
        {
            content: "Open the call",
            trigger: '.o_data_row:contains("Tour Caller"):contains("Appel téléphonique") td[name="partner_id"]',
            run: "click",
        },
        {
            content: "The call form offers the outcome button",
            trigger: 'button[name="action_log_call"]:contains("Résultat de l\'appel")',
        },
        {
            content: "Mark the call activity done from the chatter",
            trigger: ".o-mail-Activity:contains(\"Tour Caller\") .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Confirm: done",
            trigger: ".o-mail-ActivityMarkAsDone button.mx-2",
            run: "click",
        },
        {
            content: "Marking it done asks for the outcome",
            trigger: '.modal .modal-title:contains("Résultat de l\'appel")',
        },
        {
            content: "The debtor promises to pay",
            trigger: '.modal div[name="outcome"] input[data-value="promise"]',
            run: "click",
        },
        {
            content: "Promised date",
            trigger: '.modal div[name="promise_date"] input',
            run: "edit 15/01/2099",
        },
        {
            content: "Promised amount",
            trigger: '.modal div[name="promise_amount"] input',
            run: "edit 450",
        },
        {
            content: "Save the outcome",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The call is done, with its promise",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current:contains("Fait")',
        },
        {
            content: "The promise is linked",
            trigger: '.o_form_view div[name="promise_id"]:contains("450")',
        },
    ],
});
