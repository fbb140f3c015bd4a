import { registry } from "@web/core/registry";

// A collector moves a case from "Order Issued" to "Service" in the kanban, then builds its evidence file.
registry.category("web_tour.tours").add("recouvrement_case_tour", {
    steps: () => [
        {
            content: "The case waits in the column of the issued orders",
            trigger: '.o_kanban_group:contains("Ordonnance rendue") .o_kanban_record:contains("Tour Contentieux")',
        },
        {
            content: "The order was served: drag the case to the next column",
            trigger: '.o_kanban_group:contains("Ordonnance rendue") .o_kanban_record:contains("Tour Contentieux")',
            run: "drag_and_drop (.o_kanban_group:has(.o_column_title:contains('Signification')))",
        },
        {
            content: "The case is now in the column of the served orders; open it",
            trigger: '.o_kanban_group:contains("Signification") .o_kanban_record:contains("Tour Contentieux")',
            run: "click",
        },
        {
            content: "The deadline of the new stage is shown",
            trigger: '.o_form_view div[name="deadline_name"]:contains("Fin du délai d\'opposition")',
        },
        {
            content: "Build the evidence file",
            trigger: 'button[name="action_generate_evidence"]:contains("Générer le dossier de preuves")',
            run: "click",
        },
        {
            content: "The evidence file is ready to download",
            trigger: '.o_form_view div[name="evidence_file"]:contains("Dossier de preuves")',
            timeout: 60000, // a dozen exhibits rendered by wkhtmltopdf
        },
    ],
});
