from . import portal
from . import mail_attachment
