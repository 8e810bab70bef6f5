"""Evidence Organiser: get a children's services department ready for an Ofsted ILACS inspection."""

__version__ = "0.1.0"
