{
    "name": "Recouvrement de créances – Ventes",
    "summary": "Credit hold on sale orders: a customer on credit hold has its orders confirmed by managers only",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Recouvrement de créances",
    "depends": ["sale", "recouvrement_creances"],
    "auto_install": True,
    "data": ["views/sale_order_views.xml"],
}
