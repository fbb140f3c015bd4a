import { registry } from "@web/core/registry";

// A collector negotiates a payment plan from the customer, previews the schedule, creates and activates
// the plan, then prints the agreement.
registry.category("web_tour.tours").add("recouvrement_payment_plan_tour", {
    steps: () => [
        {
            content: "Open the customer's collection tab",
            trigger: 'a.nav-link:contains("Recouvrement")',
            run: "click",
        },
        {
            content: "Negotiate a payment plan",
            trigger: 'button:contains("Négocier un échéancier")',
            run: "click",
        },
        {
            content: "Four installments",
            trigger: '.modal div[name="installment_count"] input',
            run: "edit 4",
        },
        {
            content: "Leave the field: the preview is recomputed",
            trigger: ".modal .modal-title",
            run: "click",
        },
        {
            content: "The preview shows the last installment with the rounding remainder",
            trigger: '.modal div[name="preview"]:contains("225,00")',
        },
        {
            content: "Create the plan",
            trigger: '.modal button[name="action_create_plan"]',
            run: "click",
        },
        {
            content: "Activate it",
            trigger: 'button[name="action_activate"]:contains("Activer")',
            run: "click",
        },
        {
            content: "The plan is active, with its four installments and its agreement to print",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Actif")',
        },
        {
            content: "Print the agreement",
            trigger: 'button:contains("Imprimer l\'échéancier")',
            run: "click",
        },
        {
            // a report that fails to render opens an error dialog, and the tour fails on it
            content: "The agreement was downloaded and the plan stays open",
            trigger: '.o_form_view .o_form_sheet div[name="line_ids"]',
            run: async () => {
                await new Promise((resolve) => setTimeout(resolve, 1000));
                if (document.querySelector(".o_error_dialog, .o_dialog .modal-body.o_error_detail")) {
                    throw new Error("The agreement could not be printed");
                }
            },
        },
    ],
});
