import { onWillDestroy } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";

/**
 * Live referrals: when someone moves a referral, the server tells the users
 * who work it on the bus ("care_referral_moved", see care_referral_live.py).
 * This service listens once and hands each move to the referral views open
 * at that moment (useLiveReferrals); it says who moved what, unless the move
 * was one's own.
 */
export const careReferralLiveService = {
    dependencies: ["bus_service", "notification"],
    start(env, { bus_service: bus, notification }) {
        const reloads = new Set();
        let busStarted = false;

        bus.subscribe("care_referral_moved", async (payload) => {
            if (payload.by_uid === user.userId || !reloads.size) {
                return;
            }
            await Promise.all([...reloads].map((reload) => reload(payload)));
            notification.add(
                _t("%(who)s moved %(name)s to %(state)s.", {
                    who: payload.by,
                    name: payload.name,
                    state: payload.state_label,
                }),
                { type: "info" }
            );
        });

        return {
            /**
             * @param {(payload: Object) => Promise} reload called on each
             *      move of another user while registered
             * @returns {Function} unregisters it
             */
            register(reload) {
                reloads.add(reload);
                if (!busStarted) {
                    busStarted = true;
                    bus.start();
                }
                return () => reloads.delete(reload);
            },
        };
    },
};

registry.category("services").add("care_referral_live", careReferralLiveService);

/** Reload what the calling view shows of referrals on each move, while it lives. */
export function useLiveReferrals(reload) {
    const live = useService("care_referral_live");
    const unregister = live.register(reload);
    onWillDestroy(unregister);
}
