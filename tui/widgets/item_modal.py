"""A review item in a modal: read, edit, approve, copy as Markdown or export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen

from assistant.review import ReviewItem
from assistant.workspace import Workspace
from tui.messages import ItemChanged, ReviewFailed
from tui.widgets.editor import ItemEditor, failure
from tui.widgets.footer import MODAL_KEYS, AppFooter
from tui.widgets.markdown import export_name, item_markdown


@dataclass
class Exported(Message):
    """The item's Markdown was written to ``path``."""

    path: Path


class ItemModal(ModalScreen[None]):
    """One item over the current screen; ``escape`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("c", "copy", "Copy Markdown"),
        Binding("o", "export", "Export"),
        *MODAL_KEYS,
    ]

    DEFAULT_CSS = """
    ItemModal { align: center middle; }
    ItemModal > Vertical {
        width: 95%; height: 90%; border: thick $accent; background: $surface;
    }
    """

    def __init__(
        self,
        ws: Workspace,
        item: ReviewItem,
        *,
        field_order: Sequence[str] = (),
        field_titles: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.ws = ws
        self.item = item
        self.editor = ItemEditor(
            ws, field_order=field_order, field_titles=field_titles, id="item-editor"
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield self.editor
        yield AppFooter()

    async def on_mount(self) -> None:
        await self.editor.show(self.item)
        self.editor.claim_list.focus_claim()

    def on_item_changed(self, message: ItemChanged) -> None:
        self.item = message.item

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        """Copy the item's Markdown to the clipboard."""
        self.app.copy_to_clipboard(item_markdown(self.item))
        self.notify("Copied as Markdown.")

    def action_export(self) -> None:
        self.export(self.item)

    @work(thread=True, exclusive=True, exit_on_error=False, group="item-export")
    def export(self, item: ReviewItem) -> None:
        """Write the item's Markdown into the workspace's exports/ folder."""
        try:
            self.ws.exports_dir.mkdir(parents=True, exist_ok=True)
            path = self.ws.exports_dir / export_name(item)
            path.write_text(item_markdown(item), encoding="utf-8")
            self.post_message(Exported(path))
        except OSError as exc:
            self.post_message(
                ReviewFailed(
                    failure(f"Export to {self.ws.exports_dir}", exc) + " (check permissions)"
                )
            )

    def on_exported(self, message: Exported) -> None:
        self.notify(f"Exported to {message.path}")

    def on_review_failed(self, message: ReviewFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)
