import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The collection dashboard: receivables by age, DSO and CEI by month, amounts by level, plan state and case
 * stage, promises, top debtors and collectors, for the current company, all customers or one collector's or
 * salesperson's. Every figure opens the records behind it.
 */
export class RecouvrementDashboard extends Component {
    static template = "recouvrement_creances.Dashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, collectorId: false, salespersonId: false });
        this.display = { controlPanel: {}, searchPanel: false };
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("recouvrement.dashboard", "get_dashboard_data", [], {
            collector_id: this.state.collectorId,
            salesperson_id: this.state.salespersonId,
        });
    }

    async onFilter(key, ev) {
        this.state[key] = parseInt(ev.target.value) || false;
        await this.load();
    }

    money(amount) {
        const { symbol, position, digits } = this.state.data.currency;
        const value = formatFloat(amount || 0, { digits: [false, digits] });
        return position === "before" ? `${symbol}\u00a0${value}` : `${value}\u00a0${symbol}`;
    }

    days(value) {
        return value === null || value === undefined ? "–" : formatFloat(value, { digits: [false, 1] });
    }

    count(value) {
        return formatFloat(value || 0, { digits: [false, 0] });
    }

    percent(value) {
        return value === null || value === undefined ? "–" : `${formatFloat(value, { digits: [false, 1] })} %`;
    }

    open(model, domain, name, views = [[false, "list"], [false, "form"]]) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            domain,
            views,
            target: "current",
        });
    }

    async openBucket(bucket) {
        const action = await this.orm.call("recouvrement.dashboard", "action_open_bucket", [bucket.key], {
            collector_id: this.state.collectorId,
            salesperson_id: this.state.salespersonId,
        });
        return this.action.doAction(action);
    }

    openPartner(debtor) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: debtor.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    openCollector(row) {
        return this.open("recouvrement.aged.balance", row.domain, row.name, [
            [false, "list"],
            [false, "pivot"],
        ]);
    }

    get maxDso() {
        return Math.max(1, ...this.state.data.trend.map((month) => month.dso));
    }

    get labels() {
        return {
            kept: _t("Kept"),
            broken: _t("Broken"),
            open: _t("Open"),
        };
    }
}

registry.category("actions").add("recouvrement_dashboard", RecouvrementDashboard);
