"""Forms every feature shares."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for button-only POSTs."""
