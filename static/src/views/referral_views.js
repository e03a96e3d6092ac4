import { registry } from "@web/core/registry";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";
import { useLiveReferrals } from "./referral_live_service";

/**
 * The referral boards, lists and forms (js_class="care_referral_*" on the
 * addon's care.referral views) follow the moves of the other users live.
 */
function reloadRoot(controller) {
    // A move told before the view has loaded its records: its first load shows it.
    return controller.model.root?.load();
}

export class CareReferralListController extends ListController {
    setup() {
        super.setup();
        useLiveReferrals(() => reloadRoot(this));
    }
}

export class CareReferralKanbanController extends KanbanController {
    setup() {
        super.setup();
        useLiveReferrals(() => reloadRoot(this));
    }
}

export class CareReferralFormController extends FormController {
    setup() {
        super.setup();
        useLiveReferrals(async (payload) => {
            const record = this.model.root;
            // Someone typing in the form keeps what they typed.
            if (record?.resId === payload.id && !(await record.isDirty())) {
                await record.load();
            }
        });
    }
}

const views = registry.category("views");
views.add("care_referral_list", { ...listView, Controller: CareReferralListController });
views.add("care_referral_kanban", { ...kanbanView, Controller: CareReferralKanbanController });
views.add("care_referral_form", { ...formView, Controller: CareReferralFormController });
