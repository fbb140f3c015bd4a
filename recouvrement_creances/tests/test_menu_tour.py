from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase):
    def test_overdue_invoices_menu_in_french(self):
        """In Chromium, the admin (working in French) opens the collection menu and sees overdue invoices."""
        self.start_tour("/odoo", "recouvrement_menu_tour", login="admin")
