import { onWillUnmount } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { ListController } from "@web/views/list/list_controller";

/**
 * Live referral boards: when someone else moves a referral, the server tells the
 * users who work it on the bus ("care_referral_moved"); an open board, list or
 * form of referrals reloads it and says who moved it.
 */
function useLiveReferrals(controller, reload) {
    if (controller.props.resModel !== "care.referral") {
        return;
    }
    const bus = useService("bus_service");
    const notification = useService("notification");
    const onMoved = async (payload) => {
        if (payload.by_uid === user.userId) {
            return;
        }
        await reload(payload);
        notification.add(
            _t("%(who)s moved %(name)s to %(state)s.", {
                who: payload.by,
                name: payload.name,
                state: payload.state_label,
            }),
            { type: "info" }
        );
    };
    bus.subscribe("care_referral_moved", onMoved);
    bus.start();
    onWillUnmount(() => bus.unsubscribe("care_referral_moved", onMoved));
}

async function reloadList(controller) {
    // A move told before the view has loaded its records: its first load shows it.
    await controller.model.root?.load();
}

patch(ListController.prototype, {
    setup() {
        super.setup(...arguments);
        useLiveReferrals(this, () => reloadList(this));
    },
});

patch(KanbanController.prototype, {
    setup() {
        super.setup(...arguments);
        useLiveReferrals(this, () => reloadList(this));
    },
});

patch(FormController.prototype, {
    setup() {
        super.setup(...arguments);
        useLiveReferrals(this, async (payload) => {
            const record = this.model.root;
            if (record?.resId === payload.id && !(await record.isDirty())) {
                await record.load();
            }
        });
    },
});
