//! The terminal user interface (ratatui + crossterm).
pub mod app;
pub mod forms;
pub mod keymap;
pub mod msg;
pub mod screen;
pub mod screens;
pub mod text;
pub mod theme;
pub mod widgets;

use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};

use crate::service::Service;
pub use app::App;

/// Run the program full-screen until the user quits; the terminal is restored on every
/// way out (also on a panic, through ratatui's hook).
pub fn run(svc: Service) -> std::io::Result<()> {
    let mut app = App::new(svc);
    let mut terminal = ratatui::try_init().map_err(|e| {
        std::io::Error::other(format!("无法进入全屏终端（请在终端窗口中运行）：{e}"))
    })?;
    // a paste arrives as one event, so a line break in it never submits a form; best
    // effort: a console that cannot (the legacy Windows console) types it in as before
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app);
    // the backups of closing: said on the screen while they run, told after it is gone
    let farewell = app.close(&mut |app, message| {
        let _ = terminal.draw(|f| {
            app.render(f);
            let area = f.area();
            widgets::chrome::wait_popup(area, f.buffer_mut(), "备份", message);
        });
    });
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    if let Some(text) = farewell {
        println!("{text}");
    }
    result
}

/// Set to leave right after the first frame is drawn: lets a script time the real
/// start-up (process, database, terminal) without a person at the keyboard.
const EXIT_AFTER_FIRST_FRAME: &str = "STATIONDESK_EXIT_AFTER_FIRST_FRAME";

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    let exit_after_first = std::env::var_os(EXIT_AFTER_FIRST_FRAME).is_some();
    while !app.quit {
        terminal.draw(|f| app.render(f))?;
        if exit_after_first {
            return Ok(());
        }
        if event::poll(Duration::from_millis(1000))? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => app.handle_key(k),
                Event::Paste(text) => app.handle_paste(&text),
                Event::Resize(..) => terminal.autoresize()?,
                _ => {}
            }
        }
        app.tick();
    }
    Ok(())
}
