"""A file to download (PDF, spreadsheet, JSON): the one way every view answers with an attachment.

Never cached: kiosk/platform/security.py sets Cache-Control: no-store on every response but static files.
"""

from urllib.parse import quote

from flask import Response


def download(data: bytes | str, filename: str, mimetype: str) -> Response:
    """The data as an attachment named filename (a name outside ASCII is kept for browsers that read it)."""
    plain = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in filename)
    disposition = f'attachment; filename="{plain}"'
    if plain != filename:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})
