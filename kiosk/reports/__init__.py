"""The year's report and its documents.

What a network user may take out of the funders' files (kept here, light, for the network's page):
the files of figures, for one centre or the network summed. The ESF+ file has a row per participant
(by file number): it stays with each centre's coordinator (kiosk/reports/views.py refuses it).
"""

NETWORK_FUNDERS = ("habilitation", "andes", "caf")
PER_PERSON_FUNDERS = ("fse",)
