"""`make bench`: ten years of a busy centre, measured through the production server on loopback."""
