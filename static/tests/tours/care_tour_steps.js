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

/**
 * Type `text` in the autocomplete `input` and click the dropdown `option`.
 *
 * The input is brought into view first, and the steps wait for the scroll to
 * end: an autocomplete closes, and puts back its saved value, on any scroll
 * (AutoComplete.externalClose), so a field the browser scrolls to when it is
 * clicked could lose what was just typed in it.
 */
export function chooseInAutocomplete({ input, text, option, content }) {
    return [
        {
            content: `Bring ${input} into view`,
            trigger: input,
            async run() {
                this.anchor.scrollIntoView({ block: "center" });
                await new Promise((resolve) =>
                    requestAnimationFrame(() => requestAnimationFrame(resolve))
                );
            },
        },
        {
            content,
            trigger: input,
            run: `edit ${text}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains('${option}')`,
            run: "click",
        },
    ];
}
