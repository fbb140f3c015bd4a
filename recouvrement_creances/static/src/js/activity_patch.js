import { Activity } from "@mail/core/common/activity_model";
import { patch } from "@web/core/utils/patch";

// Marking a collection call done asks for its outcome instead of closing it silently.
patch(Activity.prototype, {
    async markAsDone(attachmentIds = []) {
        if (this.res_model === "recouvrement.action" && this.activity_category === "phonecall") {
            const action = await this.store.env.services.orm.call("recouvrement.action", "action_log_call", [
                [this.res_id],
            ]);
            await new Promise((resolve) =>
                this.store.env.services.action.doAction(action, { onClose: resolve })
            );
            return;
        }
        return super.markAsDone(...arguments);
    },
});
