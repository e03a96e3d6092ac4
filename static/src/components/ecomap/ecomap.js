import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * A client's circle of care as an ecomap: the client in the centre, each
 * relation a node placed by kind (the server lays them out), lines styled by
 * kind. Nodes are buttons: click or Enter opens the relation, Shift opens the
 * person; Tab goes from node to node, each named by its title, and a hidden
 * list says the same as text.
 */
export class CareEcomap extends Component {
    static template = "care_network.Ecomap";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.partnerId = this.props.action.params?.partner_id || this.props.action.context?.active_id;
        this.state = useState({ data: null, showPast: false, showOrganisations: false });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("res.partner", "care_ecomap_data", [[this.partnerId]], {
            show_past: this.state.showPast,
            show_organisations: this.state.showOrganisations,
        });
    }

    async toggle(key) {
        this.state[key] = !this.state[key];
        await this.load();
    }

    get viewBox() {
        const size = this.state.data.size;
        return `${-size / 2} ${-size / 2} ${size} ${size}`;
    }

    nodeClass(node) {
        return [
            "o_care_ecomap_node",
            `o_care_ecomap_${node.group}`,
            node.emergency ? "o_care_ecomap_emergency" : "",
            node.current ? "" : "o_care_ecomap_past",
        ].join(" ");
    }

    /** What a screen reader says of a node: who, the relation, the marks. */
    nodeName(node) {
        const marks = this.badges(node).map((badge) => badge.title);
        if (!node.current) {
            marks.push(_t("ended"));
        }
        return [node.title, ...marks].join(", ");
    }

    get relationsLabel() {
        return _t("Relations of %(name)s", { name: this.state.data.client.name });
    }

    lineClass(node) {
        return [
            "o_care_ecomap_line",
            node.emergency ? "o_care_ecomap_line_emergency" : "",
            node.current ? "" : "o_care_ecomap_line_past",
        ].join(" ");
    }

    badges(node) {
        const badges = [];
        if (node.emergency) {
            badges.push({ text: "!", title: _t("Emergency contact") });
        }
        if (node.linked_account) {
            badges.push({ text: "L", title: _t("Linked account: a client record of their own") });
        }
        if (node.portal) {
            badges.push({ text: "P", title: _t("Portal login") });
        }
        return badges;
    }

    organisationMembers(node) {
        return (this.state.data.organisations || []).filter(
            (member) => member.organisation_id === node.partner_id
        );
    }

    openNode(node, ev) {
        const person = ev && ev.shiftKey;
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: person ? "res.partner" : "care.relation",
            res_id: person ? node.partner_id : node.relation_id,
            views: [[false, "form"]],
            target: person ? "current" : "new",
        });
    }

    onNodeKeydown(node, ev) {
        if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            this.openNode(node, ev);
        }
    }

    print() {
        this.action.doAction("care_network.action_report_care_ecomap", {
            additionalContext: { active_ids: [this.partnerId] },
        });
    }
}

registry.category("actions").add("care_network.ecomap", CareEcomap);
