"""The tag filter box of the Themes, Personas and ICP screens (hidden until ``/`` opens it).

Enter applies the typed tag, an empty box clears it (the screen binds Esc to
:meth:`TagFilter.action_clear_filter`); the screen asks
the core (:func:`assistant.selection.tag_marks`) what the tag marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import Input

from assistant.errors import UsageError
from assistant.selection import TagMarks, tag_marks
from assistant.workspace import Workspace


@dataclass
class TagFilterChanged(Message):
    """The user set (``tag``) or cleared (None) the tag filter."""

    tag: str | None


class TagFilter(Input):
    """Type a codebook or interview tag, Enter filters by it; hidden until opened."""

    DEFAULT_CSS = """
    TagFilter { display: none; }
    TagFilter.-open { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(placeholder="Tag filter: type a tag, Enter filters, Esc clears", id="tag")
        self.tag: str | None = None
        self.can_focus = False  # closed: the screen's first focus goes to its content

    def open(self) -> None:
        self.can_focus = True
        self.add_class("-open")
        self.focus()

    @on(Input.Submitted)
    def _apply(self, event: Input.Submitted) -> None:
        event.stop()
        tag = event.value.strip() or None
        if tag is None:
            self.action_clear_filter()
            return
        self.tag = tag
        self.post_message(TagFilterChanged(tag))
        self.screen.focus_next()  # back to the list; the box stays open, showing the tag

    def action_clear_filter(self) -> None:
        """Clear the box and the filter, close the box and give the focus back to the screen."""
        had = self.tag is not None
        self.tag = None
        self.value = ""
        self.remove_class("-open")
        if self.has_focus:
            self.screen.focus_next()
        self.can_focus = False
        if had:
            self.post_message(TagFilterChanged(None))


def marks_of(ws: Workspace, tag: str | None) -> tuple[TagMarks | None, str | None]:
    """What ``tag`` marks (None: no filter), and the core's refusal of a tag nothing carries."""
    if not tag:
        return None, None
    try:
        return tag_marks(ws, tag), None
    except UsageError as exc:
        return None, str(exc)


class TagFiltered:
    """Screen mixin: ``/`` opens the tag filter box, Esc clears it, a change reloads.

    The screen yields a :class:`TagFilter`, binds ``tag_filter`` and
    ``clear_tag_filter`` and has a ``load`` method that reads the box's tag.
    """

    def action_tag_filter(self) -> None:
        self.query_one(TagFilter).open()  # type: ignore[attr-defined]

    def action_clear_tag_filter(self) -> None:
        self.query_one(TagFilter).action_clear_filter()  # type: ignore[attr-defined]

    def on_tag_filter_changed(self, message: TagFilterChanged) -> None:
        self.load()  # type: ignore[attr-defined]
