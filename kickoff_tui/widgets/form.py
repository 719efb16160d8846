"""Modal forms that validate in place and save everything or nothing.

A form is a list of :class:`Field` specs. Each field parses its own text (a bad date or number
shows, under the field, what is expected); an optional `check` sees all parsed values and can
refuse a combination (a dependency cycle, residual risk above inherent). The form dismisses with
a dict of parsed values only when every field is valid, so a caller never saves half a record.
`escape` cancels and returns None (after a `y` when something was typed).

    result = await app.push_screen_wait(FormScreen("New card", [
        Field("title", "Title", required=True),
        Field("due", "Due", kind="date", hint="2026-12-24, +3d, next friday"),
        Field("owner_id", "Owner", kind="choice", choices=people),
    ]))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.widgets.input import Selection

from kickoff_tui import clock
from kickoff_tui.typeahead import form_opened
from kickoff_tui.widgets.text_field import TextField

FieldKind = Literal["text", "textarea", "number", "int", "date", "choice"]


@dataclass
class Field:
    """One input of a form.

    `kind` picks the widget and the parser: text/textarea (cleaned of control characters,
    `max_len` enforced), number (12, 12,5, 45%), int, date (2026-12-24, +3d, next friday) or
    choice (a Select of `choices`, `(label, value)` pairs; labels are shown literally).
    `parse` replaces the built-in parser: it gets the raw text and returns the value or raises
    ValueError with the sentence to show.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    value: Any = None
    required: bool = False
    choices: Sequence[tuple[str, Any]] = ()
    hint: str = ""
    max_len: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    parse: Callable[[str], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _shown(value: Any, kind: FieldKind) -> str:
    """A stored value as the text to put in its input."""
    if value is None:
        return ""
    if kind == "number":
        from kickoff_tui.rules.numbers import format_number

        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_field(spec: Field, raw: Any, today: date | None = None) -> Any:
    """Turn what was typed into the field's value, or raise ValueError with one sentence."""
    if spec.kind == "choice":
        value = None if raw is Select.NULL else raw
        if spec.required and value is None:
            raise ValueError(f"Pick {spec.label.lower()}.")
        return value
    text = raw or ""
    if spec.parse is not None:
        if not text.strip() and not spec.required:
            return None
        return spec.parse(text)
    if spec.kind in ("text", "textarea"):
        from kickoff_tui.rules.text import clean_line, clean_text

        if spec.kind == "text":
            if not text.strip() and not spec.required:
                return None
            return clean_line(text, max_len=spec.max_len or 200, what=spec.label)
        cleaned = clean_text(text, max_len=spec.max_len or 20000, what=spec.label)
        if spec.required and not cleaned.strip():
            raise ValueError(f"{spec.label} can't be empty.")
        return cleaned or None
    if not text.strip():
        if spec.required:
            raise ValueError(f"{spec.label} is needed.")
        return None
    if spec.kind == "date":
        from kickoff_tui.rules.dates import parse_date

        return parse_date(text, today or clock.today())
    if spec.kind in ("number", "int"):
        from kickoff_tui.rules.numbers import parse_number

        number = parse_number(text)
        if spec.kind == "int":
            if number != int(number):
                raise ValueError(f"{spec.label} must be a whole number (got {text.strip()}).")
            number = int(number)
        low, high = spec.minimum, spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            from kickoff_tui.rules.numbers import format_number

            if low is not None and high is not None:
                span = f"from {format_number(low)} to {format_number(high)}"
            elif low is not None:
                span = f"at least {format_number(low)}"
            else:
                assert high is not None  # out of range, so a bound is set
                span = f"at most {format_number(high)}"
            raise ValueError(f"{spec.label} must be {span} (got {text.strip()}).")
        return number
    raise ValueError(f"Unknown field kind {spec.kind!r}.")


class _Fields(VerticalScroll, can_focus=False):
    """The form's scrolling list of fields. Not a focus stop of its own: the focused field
    scrolls into view, and a focusable scroll area would take the focus first and restyle
    every field twice as it passed it on."""


class _FieldInput(TextField):
    """A one-line field that shows the start of a long value when it gets the focus.

    Textual selects the whole value on focus with the cursor at its end, which scrolls a title
    longer than the field to its last words; the selection here ends at the start instead
    (typing still replaces it all, `end` goes to the end)."""

    def on_focus(self, event: events.Focus) -> None:
        # Input's own handler runs after this one (Textual calls each class's): turn its
        # selection round right after it.
        if self.select_on_focus and not event.from_app_focus:
            self.call_next(self._cursor_to_start)

    def _cursor_to_start(self) -> None:
        if self.value and self.selection == Selection(0, len(self.value)):
            self.selection = Selection(len(self.value), 0)


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """A dialog of fields; dismisses with the parsed values, or None when cancelled."""

    CSS_PATH = "form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", key_display="esc", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    def __init__(
        self,
        title: str | Content,  # shown literally: titles often carry user text
        fields: Sequence[Field],
        *,
        check: Callable[[dict[str, Any]], dict[str, str]] | None = None,
        submit: str = "Save",
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.form_title = Content(title) if isinstance(title, str) else title
        self.fields = list(fields)
        self.check = check
        self.submit_label = submit
        self.today = today
        #: What each error and hint line shows now ("error-title": "Title can't be empty.").
        self._shown: dict[str, str] = {}
        #: Each field's raw value when the form opened (set on mount; see `has_changes`).
        self._initial: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box") as box:
            box.border_title = self.form_title
            box.border_subtitle = "ctrl+s save · esc cancel"
            with _Fields(id="form-fields"):
                for spec in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(
                            spec.label + (" *" if spec.required else ""),
                            classes="form-label",
                            markup=False,
                        )
                        yield self._widget(spec)
                    yield Static("", id=f"error-{spec.name}", classes="form-error", markup=False)
                    if spec.hint:
                        yield Static(
                            spec.hint, id=f"hint-{spec.name}", classes="form-hint", markup=False
                        )
            with Horizontal(id="form-buttons"):
                yield Button(self.submit_label, variant="primary", id="form-save")
                yield Button("Cancel", id="form-cancel")

    def _widget(self, spec: Field) -> Widget:
        wid = f"field-{spec.name}"
        if spec.kind == "choice":
            options = [(Text(label), value) for label, value in spec.choices]
            known = {value for _, value in spec.choices}
            initial = spec.value if spec.value in known else Select.NULL
            return Select(
                options,
                id=wid,
                allow_blank=not spec.required,
                value=initial,
                prompt=f"Pick {spec.label.lower()}",
                classes="form-input",
                compact=True,
            )
        if spec.kind == "textarea":
            area = TextArea(
                _shown(spec.value, spec.kind),
                id=wid,
                classes="form-input",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
            )
            return area
        # No placeholder: the hint line under the field says it once (and shows a date read).
        return _FieldInput(
            _shown(spec.value, spec.kind), id=wid, classes="form-input", compact=True
        )

    def on_mount(self) -> None:
        self._initial = {spec.name: self._raw(spec) for spec in self.fields}
        for first in self.query(".form-input").results():
            self.set_focus(first)  # now, so that keys typed while it opened land in it
            break
        form_opened(self)

    def has_changes(self) -> bool:
        """Whether any field differs from what the form opened with (quitting asks first)."""
        initial = self._initial
        return initial is not None and any(
            self._raw(spec) != initial[spec.name] for spec in self.fields
        )

    def _raw(self, spec: Field) -> Any:
        widget = self.query_one(f"#field-{spec.name}")
        if isinstance(widget, Select):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def _show_error(self, name: str, message: str | None) -> None:
        if self._shown.get(f"error-{name}", "") == (message or ""):
            return  # unchanged: an update would lay the whole form out again
        self._shown[f"error-{name}"] = message or ""
        error = self.query_one(f"#error-{name}", Static)
        error.update(message or "")
        error.set_class(bool(message), "-shown")
        self.query_one(f"#field-{name}").set_class(bool(message), "-invalid")
        for hint in self.query(f"#hint-{name}"):
            hint.set_class(bool(message), "-hidden")

    def _validate_one(self, spec: Field) -> tuple[bool, Any]:
        try:
            value = parse_field(spec, self._raw(spec), self.today)
        except ValueError as exc:
            self._show_error(spec.name, str(exc))
            return False, None
        self._show_error(spec.name, None)
        if spec.kind == "date" and value is not None:
            self._show_hint(spec, f"→ {value:%a %d %b %Y}")
        elif spec.kind == "date":
            self._show_hint(spec, spec.hint)
        return True, value

    def _show_hint(self, spec: Field, text: str) -> None:
        if self._shown.get(f"hint-{spec.name}", spec.hint) == text:
            return
        self._shown[f"hint-{spec.name}"] = text
        for hint in self.query(f"#hint-{spec.name}"):
            assert isinstance(hint, Static)
            hint.update(text)

    def values(self) -> dict[str, Any] | None:
        """Every field parsed and the whole form checked; None (errors shown) if anything is off."""
        values: dict[str, Any] = {}
        bad: list[str] = []
        for spec in self.fields:
            ok, value = self._validate_one(spec)
            if ok:
                values[spec.name] = value
            else:
                bad.append(spec.name)
        if not bad and self.check is not None:
            for name, message in self.check(values).items():
                target = name if any(s.name == name for s in self.fields) else self.fields[0].name
                self._show_error(target, message)
                bad.append(target)
        if bad:
            self.query_one(f"#field-{bad[0]}").focus()
            return None
        return values

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        """Validate a field as it is typed, so a mistake is explained before saving."""
        name = (event.control.id or "").removeprefix("field-")
        for spec in self.fields:
            if spec.name == name:
                self._validate_one(spec)

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(".form-input"))
        index = inputs.index(event.control)
        if index == len(inputs) - 1:
            self.action_save()
        else:
            inputs[index + 1].focus()

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        values = self.values()
        if values is not None:
            self.dismiss(values)

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        """esc (or Cancel): close, writing nothing; with unsaved changes only after a `y`."""
        self.confirm_leaving("Discard changes?", yes="Discard", then=lambda: self.dismiss(None))

    def confirm_leaving(self, question: str, *, yes: str, then: Callable[[], Any]) -> None:
        """Run `then` at once when nothing was changed, else after `y` to `question`
        (`n` or esc go back to the form with the text intact). Esc and ctrl+q share this."""
        if not self.has_changes():
            then()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                then()

        self.app.push_screen(
            ConfirmScreen(
                question,
                detail=Content.assemble(
                    "What you typed in “", self.form_title, "” is not saved yet. n goes back to it."
                ),
                yes=yes,
            ),
            answered,
        )


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question, e.g. before deleting: `y` confirms, `n` or esc declines.

    The yes button is red (destructive) unless `destructive=False`, for questions whose yes
    only opens or starts something (e.g. "answer the pulse now?").
    """

    CSS_PATH = "form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape,q", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(
        self,
        question: str,
        *,
        detail: str | Content = "",
        yes: str = "Delete",
        no: str = "Keep",
        destructive: bool = True,
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="confirm-detail", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    f"{self.yes} (y)",
                    variant="error" if self.destructive else "primary",
                    id="confirm-yes",
                )
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#confirm-no", Button))
        form_opened(self)  # a `y` typed right after the key that asked is the answer

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
