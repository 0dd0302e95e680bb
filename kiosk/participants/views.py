"""Participants screens (issue 3)."""

from flask import Blueprint

bp = Blueprint("participants", __name__, url_prefix="/participants")
