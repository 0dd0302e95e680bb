"""URL converters: an <int:...> that fits in a database integer (a huge id is a 404, not a 500)."""

from werkzeug.routing import IntegerConverter

from kiosk.platform.numbers import ascii_int

MAX_ID = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def query_int(args, name: str, default=None, minimum: int = 0, maximum: int = MAX_ID):
    """An integer query parameter in ASCII digits within bounds, else the default."""
    value = ascii_int(args.get(name, ""), max_digits=19)
    return value if value is not None and minimum <= value <= maximum else default
