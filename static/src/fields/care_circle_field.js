import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { X2ManyField, x2ManyField } from "@web/views/fields/x2many/x2many_field";

/**
 * The client's Circle of Care list (widget="care_circle"): its rows are the
 * relations seen from this partner's side (care.relation.side, read-only). A row
 * opens its relation in a dialog, read from the same side, once the partner is
 * saved (as an object button would); the partner is read again when the dialog
 * closes.
 */
export class CareCircleField extends X2ManyField {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.action = useService("action");
    }

    async openRecord(record) {
        if (!(await this.props.record.save())) {
            return;
        }
        const action = await this.orm.call(this.list.resModel, "action_open_relation", [
            [record.resId],
        ]);
        await this.action.doAction(action, {
            onClose: () => this.props.record.load(),
        });
    }
}

registry.category("fields").add("care_circle", {
    ...x2ManyField,
    component: CareCircleField,
});
