//! Driving the whole app with key events and reading its frames (TestBackend).
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use stationdesk::ui::App;

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn screen(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t
}

/// The frame as text, wide characters once.
pub fn text(app: &App, w: u16, h: u16) -> String {
    let t = screen(app, w, h);
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            s.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        s.push('\n');
    }
    s
}

/// A service of its own over `e`'s data directory, as the program opens it (with `e`'s
/// clock and cheap password hashing).
pub fn service_of(e: &super::Env) -> stationdesk::service::Service {
    stationdesk::service::Service::open(e.dir.path(), std::sync::Arc::new(e.clock.clone()))
        .unwrap()
        .with_password_cost(stationdesk::service::auth::PasswordCost::Light)
}

/// The app over `e`'s data directory, signed in as `user` with `password`.
pub fn app_as(e: &super::Env, user: &str, password: &str) -> App {
    let mut app = App::new(service_of(e));
    typed(&mut app, user);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, password);
    key(&mut app, KeyCode::Enter);
    assert!(app.session().is_some(), "{}", text(&app, 80, 24));
    app
}

/// The app over `e`'s data directory, signed in as the chief of `super::setup_input`.
pub fn app_signed_in(e: &super::Env) -> App {
    app_as(e, "suozhang", "secret99")
}
