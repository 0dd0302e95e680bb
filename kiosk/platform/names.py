"""Names typed all in capitals (or all in small letters), written the way they are spelt."""

import re

# Particles written in small letters inside a name: "Jean de La Fontaine", "d'Alembert".
PARTICLES = {"de", "du", "des", "d"}
PIECES = re.compile(r"([ \-'’])")


def proper_case(name: str) -> str:
    """'LE GOFF' -> 'Le Goff', 'JEAN-PIERRE' -> 'Jean-Pierre', "D'ALEMBERT" -> "d'Alembert",
    'DE LA FONTAINE' -> 'de La Fontaine'. A name already in mixed case ('McBride') is kept as typed."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or not (name == name.upper() or name == name.lower()):
        return name
    pieces = PIECES.split(name.lower())
    out = []
    for index, piece in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else ""
        is_particle = piece in PARTICLES and following in (" ", "'", "’") and index + 2 < len(pieces)
        out.append(piece if is_particle else piece[:1].upper() + piece[1:])
    result = "".join(out)
    return result if result[:1].isupper() or len(pieces) > 1 else result.capitalize()
