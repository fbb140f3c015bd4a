"""19.0.1.6.0: the aged balance's index of the open items is declared on the journal items (a models.Index, dropped
with the addon): the one the aged balance created by hand is dropped."""


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS account_move_line_recouvrement_open_item_index")
