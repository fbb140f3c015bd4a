from . import test_demo_data, test_menu_tour
