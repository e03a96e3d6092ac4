/**
 * Steps the addon's tours share, written here rather than taken from
 * web_tour's stepUtils (whose module moves in Odoo 19): open the Care Network
 * app from the apps menu, in Community as in Enterprise.
 */
export function openCareNetworkApp(description = "Open the Care Network app") {
    return [
        {
            isActive: ["auto", "community", "desktop"],
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: description,
            trigger: `.o_app[data-menu-xmlid="care_network.menu_root"]`,
            run: "click",
        },
    ];
}
