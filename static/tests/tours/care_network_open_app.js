import { registry } from "@web/core/registry";
import { openCareNetworkApp } from "@care_network/../tests/tours/care_tour_steps";

registry.category("web_tour.tours").add("care_network_open_app", {
    url: "/odoo",
    steps: () => [
        ...openCareNetworkApp("Open the Care Network app"),
        {
            content: "The clients view is shown",
            trigger: ".o_breadcrumb .active:contains('Clients')",
        },
    ],
});
