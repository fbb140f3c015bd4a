from . import test_channel
