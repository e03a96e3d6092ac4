import { registry } from "@web/core/registry";

// A guardian opens the package on the portal, books the open time, and finds the
// session among the upcoming ones.
registry.category("web_tour.tours").add("care_network_package_booking", {
    url: "/my",
    steps: () => [
        {
            content: "Open Packages",
            trigger: ".o_portal_docs a:contains('Packages')",
            run: "click",
        },
        {
            content: "Open the package",
            trigger: ".o_care_portal_package a:contains('Family coaching')",
            run: "click",
        },
        {
            content: "No session is booked yet",
            trigger: ".o_care_portal_package_page:not(:has(.o_care_portal_session))",
        },
        {
            content: "Book a session",
            trigger: "a.o_care_portal_book_button",
            run: "click",
        },
        {
            content: "Book the open time",
            trigger: ".o_care_portal_slot button[type=submit]",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger: ".o_care_portal_booking_done",
        },
        {
            content: "The session is listed for the two participants",
            trigger:
                ".o_care_portal_session:contains('Family coaching'):contains('Ada Adult'):contains('Mia Minor')",
        },
    ],
});
