from .sms_count import sms_length
