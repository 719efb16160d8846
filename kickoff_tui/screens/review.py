"""`5`: the weekly review — one calm page to screen-share.

Where the plan is (day and window), each objective with its key results' progress and pace, the
board's counts and the cards that need attention, the top risks, open decisions and blockers, and
what changed since a chosen day. `P` hides the editing chrome for presenting; `ctrl+t` switches
to the light theme for projectors. The page reads everything through
:func:`kickoff_tui.store.review.build_review`, which the Markdown export renders too.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kickoff_tui import clock
from kickoff_tui.rules.retro import RETRO_FROM_DAY
from kickoff_tui.rules.risk import band
from kickoff_tui.rules.status import labelled, rag_mark
from kickoff_tui.rules.windows import WINDOW_LABELS
from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.store import review as rv
from kickoff_tui.store.cadence import next_line
from kickoff_tui.store.errors import StoreError
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.columns import Columns
from kickoff_tui.widgets.form import Field, FormScreen
from kickoff_tui.widgets.nudge_counts import NudgeCounts
from kickoff_tui.widgets.tones import BAND, RAG

GRADE_STYLE = RAG
PACE_STYLE = {
    "on track": "$text-success",
    "behind": "$text-warning",
    "at risk": "$text-error",
    "no data yet": "$text-muted",
}
BAND_STYLE = BAND
STATE_LABEL = {"todo": "to do", "doing": "doing", "blocked": "blocked", "done": "done"}

#: section key -> (widget id of its title, label in help)
SECTIONS = {
    "o": ("sec-objectives", "objectives"),
    "b": ("sec-board", "board"),
    "r": ("sec-risks", "risks"),
    "d": ("sec-decisions", "decisions and blockers"),
    "c": ("sec-changes", "changes since"),
}


def bar(progress: float, width: int = 10) -> str:
    filled = round(max(0.0, min(progress, 1.0)) * width)
    return "█" * filled + "░" * (width - filled)


def short_day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _dim(text: str) -> Content:
    return Content.styled(text, "$text-muted")


def _grade_cell(progress: float, grade: str, width: int = 10) -> Content:
    return Content.styled(
        f"{rag_mark(grade)} {bar(progress, width)} {progress:>4.0%}", GRADE_STYLE.get(grade, "")
    )


class ReviewScreen(KickoffScreen):
    """The weekly review page."""

    CSS_PATH = "review.tcss"
    MODE = "review"
    LABEL = "Review"
    HELP = (
        "The weekly review on one page: plan day, OKRs and pace, the board, top risks, open "
        "decisions and blockers, and what changed since a day you choose."
    )
    BINDINGS = [
        Binding("P", "present", "Present", key_display="P", id="review.present"),
        Binding("s", "since", "Changes since…", id="review.since"),
        Binding("x", "export", "Export as Markdown", id="review.export"),
        Binding(
            "R",
            "app.retro",
            "Retro",
            key_display="R",
            show=False,
            tooltip="The retrospective",
            id="review.retro",
        ),
        Binding("space", "page(1)", "Next page", show=False, id="review.page_next"),
        Binding("shift+space", "page(-1)", "Previous page", show=False, id="review.page_prev"),
        *(
            Binding(
                key,
                f"jump('{key}')",
                f"Jump to {label}",
                show=False,
                id=f"review.jump_{section.removeprefix('sec-')}",
            )
            for key, (section, label) in SECTIONS.items()
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.since: date | None = None
        self.review: rv.Review | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="review-page"), Vertical(id="review-body"):
            yield Static(id="review-headline", markup=False)
            yield Static(
                Content.assemble(
                    *(
                        part
                        for key, label in (
                            *((k, v[1].split()[0]) for k, v in SECTIONS.items()),
                            ("s", "since…"),
                            ("P", "present"),
                        )
                        for part in ((key, "bold $text-accent"), f" {label}  ")
                    )
                ).rstrip(),
                id="review-keys",
                markup=False,
            )
            yield NudgeCounts(id="review-nudges")
            yield Static("Objectives and key results", id="sec-objectives", classes="section-title")
            yield Columns(id="review-objectives")
            yield Static("Board", id="sec-board", classes="section-title")
            yield Columns(id="review-windows")
            yield Static("Needs attention: late, blocked or red", classes="review-sub")
            yield Columns(id="review-attention")
            yield Static("Top risks by residual score", id="sec-risks", classes="section-title")
            yield Columns(id="review-risks")
            yield Static("Open decisions", id="sec-decisions", classes="section-title")
            yield Columns(id="review-decisions")
            yield Static("Open blockers", classes="review-sub")
            yield Columns(id="review-blockers")
            yield Static("First actions (within 72 hours)", classes="review-sub")
            yield Columns(id="review-first-actions")
            yield Static(id="sec-changes", classes="section-title", markup=False)
            yield Columns(id="review-changes")

    def on_mount(self) -> None:
        # KickoffScreen.on_mount runs after this one (Textual calls both): it loads the data.
        self.query_one("#review-page").focus()

    # ------------------------------------------------------------------ filling the page

    def reload(self) -> None:
        self.review = review = rv.build_review(self.store, self.since)
        self.since = review.since
        headline = [Content.styled(review.plan.headline, "bold")]
        upcoming = next_line(self.store, clock.now())  # the team's rhythm: standup, OKR review, …
        if upcoming:
            headline.append(Content.styled(upcoming, "$text-accent"))
        if review.vision:
            headline.append(Content.styled(review.vision, "italic $text-muted"))
        if review.plan.day >= RETRO_FROM_DAY:
            headline.append(
                Content.styled("Time for the retrospective: press R.", "bold $text-accent")
            )
        self.query_one("#review-headline", Static).update(Content("\n").join(headline))
        self._nudges(review)
        self._objectives(review)
        self._board(review)
        self._risks(review)
        self._decisions(review)
        self._changes(review)

    def _nudges(self, review: rv.Review) -> None:
        """The team's inbox in counts per kind (the inbox, key 0, lists them)."""
        from kickoff_tui.store import inbox

        counts = inbox.counts(self.store, review.plan.today)
        self.query_one("#review-nudges", NudgeCounts).counts = tuple(counts)

    def _fill(self, wid: str, rows: list[list], empty: str, **kwargs) -> None:
        widget = self.query_one(f"#{wid}", Columns)
        widget.set_rows(rows or [[_dim(empty)]], **(kwargs if rows else {"flex": 0}))

    def _objectives(self, review: rv.Review) -> None:
        rows: list[list] = []
        for obj in review.objectives:
            rows.append(
                [
                    Content.styled(f"O{obj.num}", "bold"),
                    Content.styled(obj.title, "bold"),
                    "",
                    _grade_cell(obj.progress, obj.grade),
                    Content.styled(labelled(obj.pace), f"bold {PACE_STYLE.get(obj.pace, '')}"),
                    obj.owner or "",
                ]
            )
            for kr in obj.key_results:
                rows.append(
                    [
                        _dim(f"  KR{kr.num}"),
                        f"  {kr.title}",
                        kr.value_text,
                        _grade_cell(kr.progress, kr.grade),
                        Content.styled(labelled(kr.pace), PACE_STYLE.get(kr.pace, "")),
                        _dim(kr.owner or ""),
                    ]
                )
        self._fill(
            "review-objectives",
            rows,
            "No objectives yet: add them on the OKRs screen (2).",
            flex=1,
            drop=(5, 2),
            min_flex=24,
        )

    def _board(self, review: rv.Review) -> None:
        rows: list[list] = []
        for w in review.windows:
            c = w.counts
            done = c["done"] / w.total if w.total else 0.0
            rows.append(
                [
                    Content.assemble(
                        (f"{w.label:<6}", "bold"),
                        (" ● now" if w.current else "      ", "bold $text-accent"),
                    ),
                    _dim(w.dates),
                    f"{c['todo']} to do",
                    f"{c['doing']} doing",
                    Content.styled(
                        f"{c['blocked']} blocked", "$text-error" if c["blocked"] else ""
                    ),
                    f"{c['done']}/{w.total} done",
                    Content.styled(bar(done, 8), "$text-success"),
                ]
            )
        self._fill("review-windows", rows, "", flex=1, drop=(6, 1))
        attention = []
        for card in review.attention:
            attention.append(
                [
                    Content.assemble(
                        (rag_mark(card.rag), GRADE_STYLE.get(card.rag, "")), _dim(f" #{card.num}")
                    ),
                    card.title,
                    Content.styled(", ".join(card.reasons), "$text-error"),
                    _dim(WINDOW_LABELS.get(card.window, card.window)),
                    card.owner or Content.styled("no owner", "$text-error"),
                ]
            )
        more = review.attention_total - len(review.attention)
        if more > 0:
            attention.append(["", _dim(f"… and {more} more on the board (1)")])
        self._fill(
            "review-attention",
            attention,
            "Nothing is late, blocked or red.",
            flex=1,
            drop=(3, 4),
            min_flex=24,
        )

    def _risks(self, review: rv.Review) -> None:
        rows = []
        for r in review.risks:
            residual, inherent = r["residual_score"], r["score"]
            rows.append(
                [
                    _dim(f"R{r['num']}"),
                    r["title"] or "",
                    Content.styled(
                        f"{residual:>2} {labelled(band(residual))}", BAND_STYLE[band(residual)]
                    ),
                    _dim(f"was {inherent}"),
                    r["owner_name"] or Content.styled("no owner", "$text-error"),
                    _dim(r["status"] or ""),
                    self._review_cell(r["next_review"], review.plan.today),
                ]
            )
        self._fill("review-risks", rows, "No open risks.", flex=1, drop=(6, 5, 3), min_flex=24)

    @staticmethod
    def _review_cell(next_review: str | None, today: date) -> Content:
        if not next_review:
            return Content.styled("no review date", "$text-muted")
        if next_review < today.isoformat():
            return Content.styled(f"review overdue ({next_review})", "$text-error")
        return _dim(f"review {next_review}")

    def _decisions(self, review: rv.Review) -> None:
        rows = []
        for d in review.decisions:
            text = rv.decision_state(d, review.plan.today)
            late = d["late"] or "was due" in text
            state = Content.styled(
                ("⚠ " if late else "") + text,
                "bold $text-error"
                if late
                else "$text-warning"
                if d["status"] == "accepted"
                else "",
            )
            rows.append(
                [
                    _dim(f"D{d['num']}"),
                    d["title"] or "",
                    state,
                    d["owner_name"] or Content.styled("no owner", "$text-error"),
                ]
            )
        self._fill("review-decisions", rows, "No open decisions.", flex=1, drop=(3,))
        rows = []
        for b in review.blockers:
            owner = (
                Content(f"owner {b['owner_name']}")
                if b["owner_name"]
                else Content.styled(
                    "⚠ no owner" + (" (overdue)" if b["owner_overdue"] else ""), "bold $text-error"
                )
            )
            raised = rv.local_day(b["raised_at"], review.plan.tz)
            rows.append(
                [
                    _dim(f"B{b['num']}"),
                    b["text"] or "",
                    owner,
                    _dim(f"raised {short_day(raised)}" if raised else ""),
                ]
            )
        self._fill("review-blockers", rows, "No open blockers.", flex=1, drop=(3,))
        style = {
            "none": "$text-muted",
            "due": "$text-warning",
            "done": "$text-success",
            "late": "bold $text-error",
        }
        rows = [
            [
                f["name"],
                Content.styled(f["label"], style.get(f["state"], "")),
                _dim(f"#{f['card_num']} {f['title']}" if f.get("card_num") else ""),
            ]
            for f in review.first_actions
        ]
        self._fill(
            "review-first-actions", rows, "Nobody on the team yet (7, then n).", flex=2, drop=(2,)
        )

    def _changes(self, review: rv.Review) -> None:
        days = (review.plan.today - review.since).days
        ago = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        count = review.changes_total
        self.query_one("#sec-changes", Static).update(
            f"Since {short_day(review.since)} ({ago}): {count} change{'s' if count != 1 else ''}"
        )
        rows = []
        for a in review.changes:
            stamp = rv.local_stamp(a["at"], review.plan.tz)
            day = rv.local_day(a["at"], review.plan.tz)
            rows.append(
                [
                    _dim(f"{short_day(day)} {stamp[11:]}" if day else stamp),
                    a["actor"] or "",
                    a["summary"] or "",
                ]
            )
        if review.changes_total > len(review.changes):
            rows.append(
                ["", "", _dim(f"… and {review.changes_total - len(review.changes)} earlier")]
            )
        self._fill("review-changes", rows, "Nothing changed since then.", flex=2)

    # ------------------------------------------------------------------ actions

    def action_jump(self, key: str) -> None:
        """Scroll a section's title to the top of the page."""
        wid = SECTIONS[key][0]
        self.query_one("#review-page", VerticalScroll).scroll_to_widget(
            self.query_one(f"#{wid}"), top=True, animate=False
        )

    def action_page(self, direction: int) -> None:
        """A page down or up, as a presenter's space bar (or pgdn / pgup) expects."""
        page = self.query_one("#review-page", VerticalScroll)
        if direction > 0:
            page.scroll_page_down(animate=False)
        else:
            page.scroll_page_up(animate=False)

    def action_present(self) -> None:
        """Presentation mode: no nav bar, footer or key hints, more air (P again leaves it)."""
        self.toggle_class("-presenting")

    @opens_form("review-since")
    async def action_since(self) -> None:
        """Pick the day "since last review" counts from."""
        today = self.review.plan.today if self.review else None

        def check(values: dict) -> dict[str, str]:
            picked = values.get("since")
            if picked and today and picked > today:
                return {"since": "Pick today or an earlier day."}
            return {}

        result = await self.app.push_screen_wait(
            FormScreen(
                "Changes since",
                [
                    Field(
                        "since",
                        "Since",
                        kind="date",
                        value=self.since,
                        required=True,
                        hint="2026-11-16, -7d, -2w, yesterday",
                    )
                ],
                check=check,
                submit="Show",
                today=today,
            )
        )
        if result and result.get("since"):
            self.since = result["since"]
            self.load()
            self.action_jump("c")

    def action_export(self) -> None:
        """Write this review as a Markdown document beside the workspace file."""
        self._export(self.since)

    @work(thread=True, exclusive=True, group="review-export")
    def _export(self, since: date | None) -> None:
        from kickoff_tui.store.export import review_markdown

        store = self.store
        try:
            text = review_markdown(store, since)
            day = rv.plan_day(store).today
            path = store.path.resolve()
            target = path.with_name(f"{path.stem}-review-{day.isoformat()}.md")
            target.write_text(text, encoding="utf-8")
        except (OSError, StoreError) as exc:
            self.app.call_from_thread(
                self.notify, f"Couldn't write the review: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify, f"Review written to {target}", markup=False, timeout=8
        )
