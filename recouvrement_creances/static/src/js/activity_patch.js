import { Activity } from "@mail/core/common/activity_model";
import { patch } from "@web/core/utils/patch";

// Marking a collection call done asks for its outcome instead of closing it silently.
patch(Activity.prototype, {
    async markAsDone(attachmentIds = []) {
        if (this.res_model === "recouvrement.action" && this.activity_category === "phonecall") {
            const action = await this.store.env.services.orm.call("recouvrement.action", "action_log_call", [
                [this.res_id],
            ]);
            const actionService = this.store.env.services.action;
            await new Promise((resolve) => actionService.doAction(action, { onClose: resolve }));
            // The outcome changed the collection action: show it.
            await actionService.doAction({ type: "ir.actions.client", tag: "soft_reload" });
            return;
        }
        return super.markAsDone(...arguments);
    },
});
