//! `bioxen watch SCENARIO`: a live terminal dashboard. The scenario's operations at t = 0 are
//! replayed, later ones are applied when the clock reaches them (as the playground plays a
//! preset's script), and time runs on at the chosen speed. One lane per VM shows the recent
//! schedule, gauges show the machinery, a table shows the VMs.
//!
//! Keys: space/p pause, s step, +/- speed, n next scheduler, q/Esc/Ctrl-C quit. The terminal
//! is restored on every exit path (ratatui's panic hook covers panics).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bioxen::session::{LiveSession, Op, TimedOp};
use bioxen::trace::{Segment, SegmentKind};
use bioxen::SchedulerKind;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Gauge, Paragraph, Row, Table};
use ratatui::{DefaultTerminal, Frame};

use crate::args::WatchArgs;
use crate::error::CliError;
use crate::files;
use crate::fmt;

/// Simulated ms per real second.
const SPEEDS: [u64; 8] = [
    1_000,
    10_000,
    60_000,
    600_000,
    3_600_000,
    21_600_000,
    86_400_000,
    604_800_000,
];
const TICK: Duration = Duration::from_millis(100);
/// The lanes show this many real seconds of history.
const WINDOW_SECONDS: u64 = 20;
const COLORS: [Color; 8] = [
    Color::Cyan,
    Color::Yellow,
    Color::Magenta,
    Color::Green,
    Color::Blue,
    Color::Red,
    Color::LightCyan,
    Color::LightYellow,
];

struct App {
    live: LiveSession,
    script: VecDeque<TimedOp>,
    end_ms: u64,
    speed: usize,
    paused: bool,
    segments: VecDeque<Segment>,
    cursor: u64,
    message: String,
}

pub fn main(a: &WatchArgs) -> Result<(), CliError> {
    let session = files::load_session(&a.scenario)?;
    let speed_ms =
        fmt::parse_duration(&a.speed).map_err(|e| CliError::Usage(format!("--speed: {e}")))?;
    let speed = SPEEDS
        .iter()
        .position(|&s| s >= speed_ms)
        .unwrap_or(SPEEDS.len() - 1);
    let start = session.until(0);
    let script: VecDeque<TimedOp> = session
        .ops
        .iter()
        .filter(|o| o.at_ms > 0)
        .cloned()
        .collect();
    let mut app = App {
        live: LiveSession::new(start)?,
        script,
        end_ms: session.end_ms,
        speed,
        paused: a.paused,
        segments: VecDeque::new(),
        cursor: 0,
        message: format!("playing {}", a.scenario),
    };
    let mut terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        CliError::Internal(format!("`bioxen watch` needs a terminal: {e}"))
    })?;
    let result = app.run(&mut terminal);
    ratatui::restore();
    result?;
    if let Some(path) = &a.save_session {
        files::write_text(path, &files::session_json(app.live.session()))?;
        println!(
            "saved the session (t = {}) to {path}",
            fmt::clock(app.live.hypervisor().now_ms())
        );
    }
    Ok(())
}

impl App {
    fn run(&mut self, terminal: &mut DefaultTerminal) -> Result<(), CliError> {
        let term_err = |e: std::io::Error| CliError::Internal(format!("terminal: {e}"));
        let mut next_tick = Instant::now() + TICK;
        loop {
            self.pull_trace();
            terminal.draw(|f| self.draw(f)).map_err(term_err)?;
            let timeout = next_tick.saturating_duration_since(Instant::now());
            if event::poll(timeout).map_err(term_err)? {
                if let Event::Key(k) = event::read().map_err(term_err)? {
                    if k.kind == KeyEventKind::Release {
                        continue;
                    }
                    let ctrl_c = k.modifiers.contains(KeyModifiers::CONTROL)
                        && matches!(k.code, KeyCode::Char('c'));
                    match k.code {
                        _ if ctrl_c => return Ok(()),
                        KeyCode::Char('q') | KeyCode::Esc => return Ok(()),
                        KeyCode::Char(' ') | KeyCode::Char('p') => {
                            self.paused = !self.paused;
                            self.message = if self.paused { "paused" } else { "playing" }.into();
                        }
                        KeyCode::Char('s') | KeyCode::Right => {
                            self.paused = true;
                            self.tick();
                            self.message = format!("stepped {}", fmt::dur(self.tick_ms() as f64));
                        }
                        KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Up => {
                            self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
                            self.message = format!("speed {}", self.speed_label());
                        }
                        KeyCode::Char('-') | KeyCode::Down => {
                            self.speed = self.speed.saturating_sub(1);
                            self.message = format!("speed {}", self.speed_label());
                        }
                        KeyCode::Char('n') | KeyCode::Tab => self.next_scheduler(),
                        _ => {}
                    }
                }
            }
            if Instant::now() >= next_tick {
                next_tick += TICK;
                if Instant::now() > next_tick {
                    next_tick = Instant::now() + TICK;
                }
                if !self.paused {
                    self.tick();
                }
            }
        }
    }

    fn tick_ms(&self) -> u64 {
        SPEEDS[self.speed] * TICK.as_millis() as u64 / 1000
    }

    fn speed_label(&self) -> String {
        format!("{}/s", fmt::dur(SPEEDS[self.speed] as f64))
    }

    /// Advance one tick, applying scripted operations when the clock reaches them.
    fn tick(&mut self) {
        let now = self.live.hypervisor().now_ms();
        let target = (now + self.tick_ms()).min(bioxen::session::MAX_END_MS);
        while self.script.front().is_some_and(|o| o.at_ms <= target) {
            let Some(t) = self.script.pop_front() else {
                break;
            };
            let now = self.live.hypervisor().now_ms();
            if t.at_ms > now {
                if let Err(e) = self.live.advance(t.at_ms - now) {
                    self.message = format!("refused [{}] {e}", e.code());
                }
            }
            let kind = t.op.kind();
            match self.live.perform(t.op, None) {
                Ok(()) => self.message = format!("scripted {kind} at {}", fmt::clock(t.at_ms)),
                Err(e) => self.message = format!("scripted {kind} refused [{}] {e}", e.code()),
            }
        }
        let now = self.live.hypervisor().now_ms();
        if target > now {
            if let Err(e) = self.live.advance(target - now) {
                self.message = format!("refused [{}] {e}", e.code());
            }
        }
        if target >= bioxen::session::MAX_END_MS {
            self.paused = true;
            self.message = "stopped at the 90-day limit of sessions".into();
        }
    }

    fn next_scheduler(&mut self) {
        let cur = self.live.hypervisor().scheduler_kind();
        let i = SchedulerKind::ALL
            .iter()
            .position(|k| *k == cur)
            .unwrap_or(0);
        let next = SchedulerKind::ALL[(i + 1) % SchedulerKind::ALL.len()];
        match self.live.perform(
            Op::SetScheduler {
                name: next,
                options: None,
            },
            None,
        ) {
            Ok(()) => self.message = format!("switched to {}", next.as_str()),
            Err(e) => self.message = format!("refused [{}] {e}", e.code()),
        }
    }

    fn window_ms(&self) -> u64 {
        let q = self.live.hypervisor().scheduler_params().quantum_ms;
        (SPEEDS[self.speed] * WINDOW_SECONDS)
            .max(q.saturating_mul(6))
            .max(1000)
    }

    fn pull_trace(&mut self) {
        let h = self.live.hypervisor();
        let chunk = h.trace_since(self.cursor, usize::MAX);
        self.cursor = chunk.next_cursor;
        self.segments.extend(chunk.segments);
        let from = h.now_ms().saturating_sub(self.window_ms() * 4);
        while self.segments.front().is_some_and(|s| s.end < from) {
            self.segments.pop_front();
        }
    }

    fn draw(&self, f: &mut Frame) {
        let h = self.live.hypervisor();
        let m = h.metrics();
        let n = m.per_vm.len() as u16;
        let [head, lanes, gauges, table, foot] = Layout::vertical([
            // A third header line on the kinetic machinery: the host's growth.
            Constraint::Length(if m.kinetic.is_some() { 4 } else { 3 }),
            Constraint::Length(n.max(1) + 3),
            Constraint::Length(6),
            Constraint::Min(4),
            Constraint::Length(1),
        ])
        .areas(f.area());

        let state = if self.paused { "paused" } else { "playing" };
        let mut header = vec![
            Line::from(vec![
                Span::styled("BioXen watch", Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(format!(
                    "  t = {}  ·  {} chassis  ·  scheduler {}  ·  speed {}  ·  {state}",
                    fmt::clock(h.now_ms()),
                    self.live.session().chassis.label(),
                    h.scheduler_kind().as_str(),
                    self.speed_label()
                )),
            ]),
            Line::from(Span::styled(
                format!(
                    "space pause · s step · +/- speed · n next scheduler · q quit   (session end {}, {} scripted op(s) pending)",
                    fmt::clock(self.end_ms),
                    self.script.len()
                ),
                Style::default().fg(Color::DarkGray),
            )),
        ];
        if let Some(k) = &m.kinetic {
            header.push(Line::from(Span::styled(
                format!(
                    "growth {:.4} /min ({:.0} % of the host alone) · doubling {} · capacity monitor {:.1} % · free ribosomes {:.1} · energy {:.2}",
                    k.growth_rate_per_min,
                    fmt::percent_of(k.growth_rate_per_min, k.baseline_growth_rate_per_min),
                    k.doubling_time_min
                        .map_or("none".into(), |d| format!("{d:.1} min")),
                    k.capacity_percent,
                    k.free_ribosomes,
                    k.energy
                ),
                Style::default().fg(Color::Cyan),
            )));
        }
        f.render_widget(
            Paragraph::new(header).block(Block::default().borders(Borders::BOTTOM)),
            head,
        );

        let ids: Vec<Arc<str>> = m
            .per_vm
            .iter()
            .map(|v| Arc::from(v.vm_id.as_str()))
            .collect();
        let (lines, busy) = self.lanes(&ids, lanes);
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(format!(
                " schedule, last {} ",
                fmt::dur(self.window_ms().min(self.live.hypervisor().now_ms()) as f64)
            ))),
            lanes,
        );

        let pu = &m.pool_utilisation;
        let gauge_rows = Layout::vertical([Constraint::Length(1); 6]).split(gauges);
        let g = |label: String, ratio: f64, color: Color| {
            Gauge::default()
                .gauge_style(Style::default().fg(color))
                .ratio(ratio.clamp(0.0, 1.0))
                .label(label)
        };
        let items = [
            (
                format!("shared machinery busy (window) {:.1} %", busy * 100.0),
                busy,
                Color::Green,
            ),
            (
                format!("ribosomes reserved {:.1} %", pu.ribosomes * 100.0),
                pu.ribosomes,
                Color::Cyan,
            ),
            (
                format!("RNA polymerase reserved {:.1} %", pu.rna_polymerase * 100.0),
                pu.rna_polymerase,
                Color::Blue,
            ),
            (
                format!("ATP reserved {:.1} %", pu.atp * 100.0),
                pu.atp,
                Color::Yellow,
            ),
            (
                format!("memory reserved {:.1} %", pu.memory * 100.0),
                pu.memory,
                Color::Magenta,
            ),
            (
                format!("guest ATP spare {:.1} %", m.atp_level_percent),
                m.atp_level_percent / 100.0,
                Color::LightGreen,
            ),
        ];
        for (i, (label, ratio, color)) in items.into_iter().enumerate() {
            f.render_widget(g(label, ratio, color), gauge_rows[i]);
        }

        let header = Row::new([
            "VM", "state", "type", "weight", "prio", "cap", "share", "fair", "switches", "cycles",
        ])
        .style(Style::default().add_modifier(Modifier::BOLD));
        let rows = m.per_vm.iter().enumerate().map(|(i, v)| {
            Row::new(vec![
                Cell::from(v.vm_id.clone()).style(Style::default().fg(COLORS[i % COLORS.len()])),
                Cell::from(v.state.as_str()),
                Cell::from(v.biological_type.as_str()),
                Cell::from(v.weight.to_string()),
                Cell::from(v.priority.to_string()),
                Cell::from(v.cap.to_string()),
                Cell::from(fmt::pct(v.share_received)),
                Cell::from(fmt::pct(v.fair_share)),
                Cell::from(fmt::int(v.context_switches)),
                Cell::from(fmt::int(v.cycles_completed)),
            ])
        });
        let id_w = m
            .per_vm
            .iter()
            .map(|v| v.vm_id.chars().count())
            .max()
            .unwrap_or(2)
            .max(2) as u16;
        let widths = [
            Constraint::Length(id_w + 1),
            Constraint::Length(8),
            Constraint::Length(13),
            Constraint::Length(7),
            Constraint::Length(5),
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Length(7),
        ];
        f.render_widget(
            Table::new(rows, widths).header(header).block(
                Block::default().borders(Borders::ALL).title(format!(
                    " VMs · fairness {:.3} · overhead {:.2} % · {} switches ",
                    m.fairness_index,
                    m.overhead_percent,
                    fmt::int(m.context_switches)
                )),
            ),
            table,
        );
        f.render_widget(Paragraph::new(self.message.clone()), foot);
    }

    /// One line per VM over the window: `█` ran, `░` context switch into it. Also returns the
    /// fraction of the window the shared machinery was held (of the part of the window that has
    /// elapsed, early in a run).
    fn lanes(&self, ids: &[Arc<str>], area: Rect) -> (Vec<Line<'static>>, f64) {
        let h = self.live.hypervisor();
        let now = h.now_ms();
        // The window, or the time so far when shorter (the lanes then fill their width).
        let t0 = now.saturating_sub(self.window_ms());
        let span = (now - t0).max(1);
        let name_w = ids
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(2)
            .min(16);
        let width = (area.width as usize).saturating_sub(name_w + 3).max(1);
        let chunk = h.trace_since(self.cursor, 0);
        let open = chunk.open;
        let mut busy_ms = 0u64;
        let mut cells: Vec<Vec<u8>> = vec![vec![0; width]; ids.len()];
        for s in self.segments.iter().chain(open.iter()) {
            let (a, b) = (s.start.max(t0), s.end.min(now));
            if b <= a {
                continue;
            }
            if s.kind == SegmentKind::Run {
                busy_ms += b - a;
            }
            let Some(lane) = ids.iter().position(|x| *x == s.vm) else {
                continue;
            };
            let c0 = ((a - t0) as u128 * width as u128 / span as u128) as usize;
            let c1 =
                (((b - t0) as u128 * width as u128).div_ceil(span as u128) as usize).min(width);
            for c in &mut cells[lane][c0.min(width)..c1.max(c0.min(width))] {
                let v = if s.kind == SegmentKind::Run { 2 } else { 1 };
                *c = (*c).max(v);
            }
        }
        let mut lines: Vec<Line<'static>> = ids
            .iter()
            .zip(cells)
            .enumerate()
            .map(|(i, (id, row))| {
                let color = COLORS[i % COLORS.len()];
                let lane: String = row
                    .iter()
                    .map(|c| match c {
                        2 => '█',
                        1 => '░',
                        _ => '·',
                    })
                    .collect();
                let name: String = id.chars().take(name_w).collect();
                Line::from(vec![
                    Span::styled(format!("{name:<name_w$} "), Style::default().fg(color)),
                    Span::styled(lane, Style::default().fg(color)),
                ])
            })
            .collect();
        if lines.is_empty() {
            lines.push(Line::from("no VMs"));
        }
        lines.push(Line::from(Span::styled(
            format!(
                "{:<name_w$} {}{:>w$}",
                "",
                fmt::clock(t0),
                fmt::clock(now),
                w = width.saturating_sub(fmt::clock(t0).chars().count())
            ),
            Style::default().fg(Color::DarkGray),
        )));
        (lines, busy_ms as f64 / span as f64)
    }
}
