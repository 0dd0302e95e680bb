"""URL converters: an <int:...> that fits in a database integer (a huge id is a 404, not a 500)."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def query_int(args, name: str, default=None, minimum: int = 0, maximum: int = MAX_ID):
    """An integer query parameter in ASCII digits within bounds, else the default."""
    text = args.get(name, "")
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return default
    value = int(text)
    return value if minimum <= value <= maximum else default
