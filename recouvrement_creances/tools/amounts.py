"""Totals of a collection action, shared by the stored computes and the bulk creation of proposals, and
amounts in words for the letters."""

from num2words import num2words


def action_totals(residuals):
    """(invoiced due, credits, net due, number of invoices) of the residual amounts of an action's lines
    that are not excluded: a positive residual is an invoice, a negative one a credit.

    >>> action_totals([700.0, 300.0, -150.0])
    (1000.0, -150.0, 850.0, 2)
    """
    due = sum(amount for amount in residuals if amount > 0)
    credit = sum(amount for amount in residuals if amount <= 0)
    return due, credit, due + credit, sum(1 for amount in residuals if amount > 0)


def euros_in_words(amount):
    """A euro amount written out in French, as a formal notice states it.

    >>> euros_in_words(1234.50)
    'mille deux cent trente-quatre euros et cinquante centimes'
    >>> euros_in_words(0.01), euros_in_words(1), euros_in_words(80), euros_in_words(1_000_000)
    ('un centime', 'un euro', 'quatre-vingts euros', "un million d'euros")
    """
    euros, cents = divmod(round(amount * 100), 100)
    parts = []
    if euros or not cents:
        words = num2words(euros, lang="fr")
        # "un million d'euros", but "un million deux cents euros"
        unit = "euro" if euros < 2 else "euros"
        parts.append(
            f"{words} d'{unit}"
            if words.endswith(("million", "millions", "milliard", "milliards"))
            else f"{words} {unit}"
        )
    if cents:
        parts.append(f"{num2words(cents, lang='fr')} {'centime' if cents == 1 else 'centimes'}")
    return " et ".join(parts)
