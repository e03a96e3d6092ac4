import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

/**
 * A client or relation saved with "Send invite" ticked asks, in a dialog,
 * which forms to send with the invitations (or Skip): the server keeps the
 * relations pending and hands over the dialog once the record is saved.
 */
patch(FormController.prototype, {
    async onRecordSaved(record, changes) {
        await super.onRecordSaved(...arguments);
        if (
            record === this.model.root &&
            ["res.partner", "care.relation"].includes(record.resModel) &&
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
