import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

const INVITING_MODELS = ["res.partner", "care.relation"];

/**
 * A client or relation saved with "Send invite" ticked asks, in a dialog,
 * which forms to send with the invitations (or Skip): these forms save with
 * the context key care_invitation_dialog, so that the server keeps the
 * relations pending (instead of inviting at once, as it does for every other
 * caller) and hands over the dialog once the record is saved. The key only
 * defers the sending to the dialog; it grants nothing.
 */
patch(FormController.prototype, {
    onWillLoadRoot(config) {
        super.onWillLoadRoot(...arguments);
        if (config && INVITING_MODELS.includes(config.resModel)) {
            config.context = { ...config.context, care_invitation_dialog: true };
        }
    },

    async onRecordSaved(record, changes) {
        await super.onRecordSaved(...arguments);
        if (
            record === this.model.root &&
            INVITING_MODELS.includes(record.resModel) &&
            changes &&
            ("care_circle_ids" in changes || "care_relation_ids" in changes || "send_portal_invitation" in changes)
        ) {
            const action = await this.orm.call(
                record.resModel,
                "care_pending_invitation_action",
                [[record.resId]]
            );
            if (action) {
                await this.env.services.action.doAction(action);
            }
        }
    },
});
