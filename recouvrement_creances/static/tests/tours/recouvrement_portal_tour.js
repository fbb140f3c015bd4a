import { registry } from "@web/core/registry";

// The debtor opens the link of a reminder, proposes a plan of three installments, signs it and pays the
// first installment with the demo payment provider.
registry.category("web_tour.tours").add("recouvrement_portal_tour", {
    steps: () => [
        {
            content: "The page shows what is due",
            trigger: ".o_recouvrement_portal .o_recouvrement_total",
        },
        {
            content: "Propose a payment plan",
            trigger: "a.o_recouvrement_propose_plan",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Three installments, the down payment included",
            trigger: "select#installment_count",
            run: "select 3",
        },
        {
            content: "Send the proposal",
            trigger: "button.o_recouvrement_plan_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Within the limits: accepted, to sign",
            trigger: ".o_recouvrement_plan_to_sign",
        },
        {
            content: "Type the name",
            trigger: ".o_recouvrement_sign .o_web_sign_name_and_signature input",
            run: "edit Jean Portail",
        },
        {
            trigger: ".o_recouvrement_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: ".o_recouvrement_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The plan is active",
            trigger: ".o_recouvrement_plan_active",
        },
        {
            content: "The signed agreement can be downloaded",
            trigger: "a.o_recouvrement_agreement",
        },
        {
            content: "Pay the first installment",
            trigger: "a.o_recouvrement_pay_installment",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the demo provider",
            trigger: "input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "Type a card number",
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the page: the payment is being processed",
            trigger: ".o_recouvrement_portal .alert-success",
            timeout: 30000,
        },
    ],
});
