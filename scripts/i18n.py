"""Translation upkeep for the addon, with polib (already a dependency of Odoo).

i18n.py merge POT PO   keep PO's translations, take every msgid of POT, report what is missing
i18n.py check POT PO   exit 1 when a msgid of POT has no French translation in PO
"""

import sys

import polib


def untranslated(pot, po):
    done = {(e.msgctxt, e.msgid) for e in po if e.translated() and not e.obsolete}
    return [e for e in pot if e.msgid and (e.msgctxt, e.msgid) not in done]


def merge(pot_path, po_path):
    pot, po = polib.pofile(pot_path), polib.pofile(po_path)
    po.merge(pot)
    po.metadata.update({"Language": "fr_FR", "Content-Type": "text/plain; charset=UTF-8"})
    po.save(po_path)
    return untranslated(pot, po)


def main(command, pot_path, po_path):
    missing = (
        merge(pot_path, po_path) if command == "merge" else untranslated(polib.pofile(pot_path), polib.pofile(po_path))
    )
    for entry in missing:
        print(f"untranslated in {po_path}: {entry.msgid!r}")
    return 1 if missing and command == "check" else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
