"""Widgets shared by the review screens (themes, personas, ICP, messaging).

- :mod:`.messages`: the messages these screens post (``OpenTranscript`` is
  for the app shell to handle).
- :mod:`.claims`: a claim list whose claims expand to their evidence.
- :mod:`.editor`: :class:`ItemEditor`, one review item with edit, add,
  approve, reject, regenerate and pending-diff actions run in workers.
- :mod:`.dialogs`: the modal text input and the side-by-side diff.
"""
