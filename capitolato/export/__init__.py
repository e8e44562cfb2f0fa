"""Machine-readable descriptions of a tender, written beside its documents: spec and derived facts, eForms
business terms, an OCDS release fragment. Portals and open-data pipelines read these, not the Word files."""

from capitolato.export.eforms import eforms
from capitolato.export.ocds import DEFAULT_OCID_PREFIX, ocds
from capitolato.export.tender_json import tender_json

__all__ = ["DEFAULT_OCID_PREFIX", "eforms", "ocds", "tender_json"]
