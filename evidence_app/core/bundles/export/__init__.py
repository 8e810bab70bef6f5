"""Writers that turn plain export data into files an inspector reads: Word bundles and spreadsheets.

They take the dataclasses of `model.py` and never see the store, so they can be tested on plain data
and reused for packs. `bundle_data.py` (outside this package) builds the plain data from a
workspace.
"""
