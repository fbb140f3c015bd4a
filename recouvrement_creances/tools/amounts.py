"""Totals of a collection action, shared by the stored computes and the bulk creation of proposals."""


def action_totals(residuals):
    """(invoiced due, credits, net due, number of invoices) of the residual amounts of an action's lines
    that are not excluded: a positive residual is an invoice, a negative one a credit.

    >>> action_totals([700.0, 300.0, -150.0])
    (1000.0, -150.0, 850.0, 2)
    """
    due = sum(amount for amount in residuals if amount > 0)
    credit = sum(amount for amount in residuals if amount <= 0)
    return due, credit, due + credit, sum(1 for amount in residuals if amount > 0)
