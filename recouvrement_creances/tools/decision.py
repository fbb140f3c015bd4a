"""The decision aid of a contentious case: what each way of pursuing it may bring back, net of its costs.

>>> recovery_outlook(10000, legal_rate=55, agency_rate=45, legal_fixed=150, legal_cost_rate=5, agency_commission=15)
(4850.0, 3825.0, 'pursue')
>>> recovery_outlook(400, legal_rate=15, agency_rate=10, legal_fixed=150, legal_cost_rate=5, agency_commission=15)
(-110.0, 34.0, 'agency')
>>> recovery_outlook(100, legal_rate=0, agency_rate=0, legal_fixed=150, legal_cost_rate=5, agency_commission=15)
(-155.0, 0.0, 'write_off')
"""


def recovery_outlook(amount, legal_rate, agency_rate, legal_fixed, legal_cost_rate, agency_commission):
    """(net expected from a legal procedure, net expected from an agency, recommendation).

    The legal procedure recovers ``amount`` x ``legal_rate`` % and costs ``legal_fixed`` plus ``legal_cost_rate`` %
    of the amount, whatever the outcome; an agency recovers ``amount`` x ``agency_rate`` % and keeps
    ``agency_commission`` % of it ("no recovery, no fee"). The recommendation is the better of the two, or to
    write the debt off when neither brings anything back.
    """
    legal = amount * legal_rate / 100 - legal_fixed - amount * legal_cost_rate / 100
    agency = amount * agency_rate / 100 * (1 - agency_commission / 100)
    if max(legal, agency) <= 0:
        return round(legal, 2), round(agency, 2), "write_off"
    return round(legal, 2), round(agency, 2), "pursue" if legal >= agency else "agency"
