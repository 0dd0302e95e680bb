"""Fill English msgstrs from a tab-separated file of `French<TAB>English` lines (one-off helper).

Usage: .venv/bin/python scripts/po_fill.py translations.tsv
Only empty msgstrs are filled; the .po stays the source of truth, kept in step by `make translations`.
"""

import sys

from babel.messages.pofile import read_po, write_po

PO = "kiosk/translations/en/LC_MESSAGES/messages.po"
FRENCH_PO = "kiosk/translations/fr/LC_MESSAGES/messages.po"


def fill_french_plurals() -> None:
    """French is the source language, but its plural rule is not gettext's default: 0 and 1 take
    the singular ("0 personne à ajouter"). Its catalogue carries only the plural entries, filled
    with the French forms, so that ngettext applies French's rule (nplurals=2; plural=(n > 1))."""
    with open(FRENCH_PO, "rb") as handle:
        catalog = read_po(handle, locale="fr")
    for message in catalog:
        if message.id and not isinstance(message.id, str):
            message.string = (message.id[0],) + (message.id[1],) * (catalog.num_plurals - 1)
    with open(FRENCH_PO, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


def main(tsv_path: str) -> None:
    pairs = {}
    with open(tsv_path, encoding="utf-8") as handle:
        for line in handle:
            if "\t" in line:
                fr, en = line.rstrip("\n").split("\t", 1)
                pairs[fr] = en
    with open(PO, "rb") as handle:
        catalog = read_po(handle, locale="en")
    filled = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if not key or key not in pairs:
            continue
        if isinstance(message.id, str):
            if not message.string:
                message.string = pairs[key]
                filled += 1
        elif not all(message.string) or message.string[0] == message.string[1] != pairs.get(message.id[1], message.string[1]):
            # Plurals: the singular's line, and the plural's own line when the file has one.
            message.string = (pairs[key], pairs.get(message.id[1], pairs[key]))
            filled += 1
    with open(PO, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    fill_french_plurals()
    print(f"{filled} filled, {len(missing)} still empty")
    for message_id in missing:
        print("  missing:", message_id)


if __name__ == "__main__":
    main(sys.argv[1])
