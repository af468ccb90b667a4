"""Widgets the screens share.

- :mod:`.jobbar`: progress of background jobs; :mod:`.turn`, :mod:`.evidence`:
  one transcript turn and the evidence marks on it.
- :mod:`.claims`: a claim list whose claims expand to their evidence.
- :mod:`.editor`: :class:`ItemEditor`, one review item with edit, add,
  approve, reject, regenerate and pending-diff actions run in workers.
- :mod:`.dialogs`: the modal text input and the side-by-side diff.
- :mod:`.item_modal`, :mod:`.markdown`: an item in a modal and as Markdown.
- :mod:`.theme_quotes`, :mod:`.theme_stats`: a theme's quotes and its counts.
- :mod:`.generators`: the core generator a review screen's "regenerate" runs.

Their messages live in :mod:`tui.messages`.
"""

from tui.widgets.jobbar import JobBar

__all__ = ["JobBar"]
