from . import test_sms
