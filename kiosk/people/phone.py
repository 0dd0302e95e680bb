"""French phone numbers: what people type (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78,
0033612345678) made into the one form a gateway takes, E.164 (+33612345678)."""

import re

SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]")
# Metropolitan France and the overseas departments dialled from France: 0 then 9 digits, first 1-9.
NATIONAL = re.compile(r"0([1-9][0-9]{8})")
INTERNATIONAL = re.compile(r"(?:\+|00)33(?:\(0\))?0?([1-9][0-9]{8})")


def normalise_phone(text: str) -> str:
    """A French number in E.164 ("+33612345678"), or ValueError with a message in plain French."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("Le numéro de téléphone manque.")
    compact = SEPARATORS.sub("", text.strip())
    if len(compact) > 20:
        raise ValueError("Ce numéro de téléphone est trop long.")
    for pattern in (NATIONAL, INTERNATIONAL):
        match = pattern.fullmatch(compact)
        if match:
            return "+33" + match.group(1)
    if not re.fullmatch(r"\+?[0-9]+", compact):
        raise ValueError("Un numéro de téléphone ne contient que des chiffres (et des espaces ou des points).")
    raise ValueError("Ce n'est pas un numéro français : 10 chiffres commençant par 0 (06 12 34 56 78) "
                     "ou +33 suivi de 9 chiffres.")


def is_mobile(e164: str) -> bool:
    """A French mobile (06, 07): the only numbers that receive an SMS."""
    return e164.startswith(("+336", "+337"))
