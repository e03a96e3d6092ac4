import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("care_network_open_app", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("care_network.menu_root", "Open the Care Network app"),
        {
            content: "The clients view is shown",
            trigger: ".o_breadcrumb .active:contains('Clients')",
        },
    ],
});
