import { registry } from "@web/core/registry";

// Open a client's ecomap, find the guardian's node, open the relation from it.
registry.category("web_tour.tours").add("care_network_ecomap", {
    steps: () => [
        {
            content: "Open the ecomap from the client's form",
            trigger: ".o_form_view .o_form_statusbar button[name=action_open_care_ecomap]",
            run: "click",
        },
        {
            content: "The client is in the centre",
            trigger: ".o_care_ecomap_client:contains('Elsa Eco')",
        },
        {
            content: "The guardian's node, in the legal group, with her relation",
            trigger: ".o_care_ecomap_node.o_care_ecomap_legal:contains('Gus Guardian'):contains('Legal Guardian')",
        },
        {
            content: "The guardian is marked as the emergency contact",
            trigger: ".o_care_ecomap_node.o_care_ecomap_emergency:contains('Gus Guardian')",
        },
        {
            content: "The guardian's node is a button reached with Tab, named by its title",
            trigger:
                ".o_care_ecomap_node[tabindex='0'][role='button']:contains('Gus Guardian: Legal Guardian, Emergency contact')",
            run() {
                this.anchor.focus();
                if (document.activeElement !== this.anchor) {
                    throw new Error("The guardian's node does not take the focus");
                }
            },
        },
        {
            content: "The ecomap is also a list of names and relations, for screen readers",
            trigger: ".o_care_ecomap_svg[aria-describedby='o_care_ecomap_text']",
            run() {
                const text = document.getElementById("o_care_ecomap_text").textContent;
                for (const relation of ["Gus Guardian: Legal Guardian", "Sid Sibling: Sibling"]) {
                    if (!text.includes(relation)) {
                        throw new Error(`The text of the ecomap lacks ${relation}: ${text}`);
                    }
                }
            },
        },
        {
            content: "Open the relation from the guardian's node",
            trigger: ".o_care_ecomap_node:contains('Gus Guardian')",
            run: "click",
        },
        {
            content: "The relation opens",
            trigger: ".modal .o_form_view div[name=related_partner_id]:contains('Gus Guardian')",
        },
    ],
});
