"""How long an SMS is, as the networks count it: 160 characters of the GSM 03.38 alphabet per message, or 70 of
any other (UCS-2) when a single character is outside it; a longer text is split into parts of 153 or 67."""

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")


def sms_length(text):
    """(characters as counted, number of SMS) of ``text``.

    >>> sms_length("Votre facture est en retard.")
    (28, 1)
    >>> sms_length("€")  # an extended character counts twice
    (2, 1)
    >>> sms_length("x" * 161)
    (161, 2)
    >>> sms_length("Échéance dépassée : merci de régler.")  # 'ç'-free, but 'É' and 'é' are GSM
    (36, 1)
    >>> sms_length("Reçu")  # 'ç' is not in the GSM alphabet: UCS-2
    (4, 1)
    >>> sms_length("ç" * 71)
    (71, 2)
    >>> sms_length("")
    (0, 0)
    """
    if not text:
        return 0, 0
    if all(char in GSM_BASIC or char in GSM_EXTENDED for char in text):
        length = sum(2 if char in GSM_EXTENDED else 1 for char in text)
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return length, 1 if length <= single else -(-length // part)
