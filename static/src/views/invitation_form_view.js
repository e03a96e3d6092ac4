import { registry } from "@web/core/registry";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";

const INVITING_FIELDS = [
    "care_relation_ids",
    "care_first_relation_ids",
    "send_portal_invitation",
];

/**
 * The client's form and the relation's form (js_class="care_invitation_form"):
 * saved with "Send invite" ticked, they ask in a dialog which forms to send
 * with the invitations (or Skip). They save with the context key
 * care_invitation_dialog, so that the server keeps the relations pending
 * (every other caller invites at once), then open the dialog the server
 * returns. The key only defers the sending to the dialog; it grants nothing.
 */
export class CareInvitationFormController extends FormController {
    onWillLoadRoot(config) {
        super.onWillLoadRoot(...arguments);
        if (config) {
            config.context = { ...config.context, care_invitation_dialog: true };
        }
    }

    async onRecordSaved(record, changes) {
        await super.onRecordSaved(...arguments);
        if (record !== this.model.root || !changes) {
            return;
        }
        if (!INVITING_FIELDS.some((fieldName) => fieldName in changes)) {
            return;
        }
        const action = await this.orm.call(record.resModel, "care_pending_invitation_action", [
            [record.resId],
        ]);
        if (action) {
            await this.env.services.action.doAction(action);
        }
    }
}

registry.category("views").add("care_invitation_form", {
    ...formView,
    Controller: CareInvitationFormController,
});
