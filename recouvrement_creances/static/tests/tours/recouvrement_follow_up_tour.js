import { registry } from "@web/core/registry";

// A collector opens a customer, follows it up by hand: reads the email as it will go out, adds a paragraph,
// sees it in the preview, then sends it.
registry.category("web_tour.tours").add("recouvrement_follow_up_tour", {
    steps: () => [
        {
            content: "Open the customer's collection tab",
            trigger: '.o_notebook .nav-link:contains("Recouvrement")',
            run: "click",
        },
        {
            content: "Follow the customer up",
            trigger: 'button.o_collection_follow_up:contains("Relancer")',
            run: "click",
        },
        {
            content: "The email is shown as it will go out, in French, with the overdue invoice",
            trigger: '.modal .o_collection_preview_email:contains("Tour Relance SARL"):contains("En retard")',
        },
        {
            content: "Add a paragraph",
            trigger: '.modal div[name="custom_text"] textarea',
            run: "edit Suite à notre appel de ce matin, voici le détail.",
        },
        {
            content: "Update the preview",
            trigger: ".modal .o_collection_refresh_preview",
            run: "click",
        },
        {
            content: "The paragraph is in the email",
            trigger: '.modal .o_collection_preview_email:contains("Suite à notre appel de ce matin")',
        },
        {
            content: "Send it",
            trigger: '.modal .o_collection_send:contains("Envoyer et imprimer")',
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal .o_collection_send))",
        },
    ],
});
