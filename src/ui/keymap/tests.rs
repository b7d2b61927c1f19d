use super::*;

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

#[test]
fn no_key_is_bound_twice_on_one_screen() {
    for ctx in Context::ALL {
        let all: Vec<Key> = bindings(ctx).iter().flat_map(|b| b.keys()).collect();
        for (i, k) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(k), "{ctx:?}: {k:?} bound twice");
        }
    }
}

#[test]
fn letters_are_commands_on_lists_but_text_in_forms() {
    assert_eq!(
        lookup(Context::Home, &key(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
    assert_eq!(
        lookup(Context::Home, &key(KeyCode::Char('Q'))),
        Some(Action::Quit)
    );
    assert_eq!(lookup(Context::Form, &key(KeyCode::Char('q'))), None);
    assert_eq!(
        lookup(Context::Form, &key(KeyCode::F(1))),
        Some(Action::Help)
    );
    assert_eq!(
        lookup(Context::Home, &key(KeyCode::F(9))),
        Some(Action::OpenSettings)
    );
    // a search box takes `?` and `k` as text
    assert_eq!(lookup(Context::Search, &key(KeyCode::Char('?'))), None);
    assert_eq!(lookup(Context::Search, &key(KeyCode::Char('k'))), None);
    assert_eq!(key_label(Context::Search, Action::Help), "F1");
}

#[test]
fn labels_are_made_from_the_keys() {
    for ctx in Context::ALL {
        for b in bindings(ctx) {
            let joined: Vec<String> = b
                .keys
                .iter()
                .filter(|k| !(ctx.typing() && matches!(k, Key::Char(_))))
                .map(|k| k.label())
                .collect();
            assert_eq!(b.label(), joined.join("/"), "{ctx:?} {:?}", b.action);
            assert!(!b.label().is_empty(), "{ctx:?} {:?} has no key", b.action);
        }
    }
    assert_eq!(key_label(Context::Home, Action::Help), "F1/?");
    assert_eq!(key_label(Context::Home, Action::Quit), "F10/Q");
    assert_eq!(key_label(Context::Form, Action::PrevField), "Shift+Tab/↑");
    assert_eq!(key_label(Context::Orders, Action::PageDown), "PgDn");
    assert_eq!(key_label(Context::Receipts, Action::First), "Home");
}

#[test]
fn every_list_pages_and_goes_to_its_ends() {
    use Context as C;
    for ctx in [
        C::Areas,
        C::Orders,
        C::Deadlines,
        C::Settings,
        C::Accounts,
        C::Audit,
        C::Assessment,
        C::AssessmentRules,
        C::AssessmentSummary,
        C::PayAccount,
        C::Receipts,
        C::DayEnds,
        C::Outages,
        C::Handover,
    ] {
        for (k, a) in [
            (KeyCode::Up, Action::Up),
            (KeyCode::Down, Action::Down),
            (KeyCode::PageUp, Action::PageUp),
            (KeyCode::PageDown, Action::PageDown),
            (KeyCode::Home, Action::First),
            (KeyCode::End, Action::Last),
            (KeyCode::Esc, Action::Back),
            (KeyCode::F(1), Action::Help),
        ] {
            assert_eq!(lookup(ctx, &key(k)), Some(a), "{ctx:?} {k:?}");
        }
    }
    // search boxes page too; Home/End stay with the text cursor there
    for ctx in [C::Search, C::PaySearch] {
        assert_eq!(lookup(ctx, &key(KeyCode::PageUp)), Some(Action::PageUp));
        assert_eq!(lookup(ctx, &key(KeyCode::PageDown)), Some(Action::PageDown));
        assert_eq!(lookup(ctx, &key(KeyCode::Home)), None);
    }
}

#[test]
fn home_esc_does_not_quit_and_the_quit_question_takes_no_menu_letter() {
    assert_eq!(lookup(Context::Home, &key(KeyCode::Esc)), None);
    assert_eq!(
        lookup(Context::Home, &key(KeyCode::F(10))),
        Some(Action::Quit)
    );
    let q = Context::QuitConfirm;
    assert_eq!(lookup(q, &key(KeyCode::Enter)), Some(Action::Yes));
    assert_eq!(lookup(q, &key(KeyCode::F(10))), Some(Action::Yes));
    assert_eq!(lookup(q, &key(KeyCode::Esc)), Some(Action::No));
    assert_eq!(lookup(q, &key(KeyCode::Char('n'))), Some(Action::No));
    // no letter of the home menu confirms quitting
    for b in bindings(Context::Home) {
        for k in b.keys() {
            if let Key::Char(c) = k {
                assert_ne!(lookup(q, &key(KeyCode::Char(c))), Some(Action::Yes), "{c}");
            }
        }
    }
}

#[test]
fn the_auditor_is_not_offered_taking_money_and_the_help_says_why() {
    let auditor = Some((Role::Auditor, false));
    let offered = footer(Context::PayAccount, auditor);
    let take = key_label(Context::PayAccount, Action::TakePayment);
    assert!(
        !offered.iter().any(|(_, d)| *d == "收款"),
        "auditor footer offers 收款: {offered:?}"
    );
    assert!(!offered.iter().any(|(k, _)| *k == take));
    // the clerk is offered it
    let clerk = footer(Context::PayAccount, Some((Role::Clerk, false)));
    assert!(clerk.iter().any(|(k, d)| *k == take && *d == "收款"));
    // before sign-in everything is shown
    assert!(
        footer(Context::PayAccount, None)
            .iter()
            .any(|(_, d)| *d == "收款")
    );
    // the help lists it, marked as not allowed for the auditor
    let help: Vec<Bound> = bindings(Context::PayAccount);
    let pay = help.iter().find(|b| b.action == Action::TakePayment);
    assert!(pay.is_some_and(|b| !b.allowed(auditor)));
    assert!(pay.is_some_and(|b| b.allowed(Some((Role::Clerk, false)))));
}

/// What `chrome::footer` draws: a leading space, entries two spaces apart.
fn drawn_width(entries: &[(String, &str)]) -> usize {
    1 + entries
        .iter()
        .map(|(k, d)| entry_width(k, d))
        .sum::<usize>()
        - 2
}

#[test]
fn the_order_page_footer_holds_its_main_keys_in_80_columns() {
    for role in [Role::Clerk, Role::Chief] {
        let who = Some((role, false));
        let all = footer(Context::OrderPage, who);
        assert!(drawn_width(&all) <= 80, "{role:?}: {}", drawn_width(&all));
        let fitted = footer_fitted(Context::OrderPage, who, 80);
        assert_eq!(fitted, all, "{role:?}: the footer drops a main key");
        for a in [
            Action::CompleteStage,
            Action::RecordContact,
            Action::CollectFee,
            Action::Dispatch,
            Action::PrintSlip,
            Action::Back,
            Action::Help,
        ] {
            let label = key_label(Context::OrderPage, a);
            assert!(
                all.iter().any(|(k, _)| *k == label),
                "{role:?} misses {a:?}"
            );
        }
    }
}

#[test]
fn a_footer_too_wide_keeps_back_and_help() {
    for ctx in Context::ALL {
        for w in [40usize, 60, 80] {
            let fitted = footer_fitted(ctx, None, w);
            assert!(
                fitted.is_empty() || drawn_width(&fitted) <= w,
                "{ctx:?} at {w}"
            );
            for a in [Action::Back, Action::Help] {
                let b = bindings(ctx)
                    .into_iter()
                    .find(|b| b.action == a && b.footer);
                if let Some(b) = b {
                    let entry = (b.label(), b.desc);
                    if entry_width(&entry.0, entry.1) * 2 < w {
                        assert!(fitted.contains(&entry), "{ctx:?} at {w} drops {a:?}");
                    }
                }
            }
        }
    }
}

/// Every (screen, action) whose label a message uses has a key there.
#[test]
fn labels_used_in_messages_exist() {
    use Context as C;
    for (ctx, a) in [
        (C::Home, Action::OpenAssessment),
        (C::Home, Action::Quit),
        (C::PayAccount, Action::OpenReceipts),
        (C::Receipts, Action::ReprintReceipt),
        (C::Receipts, Action::ReverseReceipt),
        (C::Receipts, Action::FindReceipt),
        (C::Orders, Action::PrintSlip),
        (C::DayEnd, Action::PrintDayEnd),
        (C::DayEnd, Action::CountCash),
        (C::OrderPage, Action::ResumeClock),
        (C::Calendar, Action::AddDay),
        (C::Calendar, Action::MarkYear),
        (C::Deadlines, Action::Filter),
        (C::Deadlines, Action::OpenCalendar),
        (C::Form, Action::Back),
        (C::Form, Action::Submit),
        (C::Login, Action::Submit),
        (C::YesNo, Action::Yes),
        (C::YesNo, Action::No),
        (C::HelpPopup, Action::Back),
    ] {
        assert!(!key_label(ctx, a).is_empty(), "{ctx:?} has no {a:?}");
    }
}

#[test]
fn keymap_files_stay_small() {
    for (name, src) in [
        ("mod.rs", include_str!("mod.rs")),
        ("tables.rs", include_str!("tables.rs")),
        ("counter.rs", include_str!("counter.rs")),
        ("money.rs", include_str!("money.rs")),
        ("office.rs", include_str!("office.rs")),
        ("tests.rs", include_str!("tests.rs")),
        ("source_scan.rs", include_str!("source_scan.rs")),
    ] {
        assert!(src.lines().count() <= 420, "{name} grew past ~400 lines");
    }
}

/// The drawn footer and help for the auditor on the account screen: no 收款 offered, and
/// the help line of 收款 says （无权限） in words.
#[test]
fn the_auditor_sees_no_take_payment_in_the_drawn_footer_and_a_marked_help() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    let text = |buf: &Buffer| -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    // the cell after a wide character is blank
                    .replace(' ', "")
            })
            .collect()
    };
    let auditor = Some((Role::Auditor, false));
    let area = Rect::new(0, 0, 80, 1);
    let mut buf = Buffer::empty(area);
    crate::ui::widgets::chrome::footer(area, &mut buf, Context::PayAccount, auditor);
    let line = text(&buf).concat();
    assert!(!line.contains("收款"), "{line}");
    assert!(line.contains("Esc"), "{line}");

    let area = Rect::new(0, 0, 80, 24);
    let mut buf = Buffer::empty(area);
    crate::ui::widgets::chrome::help_popup(area, &mut buf, Context::PayAccount, auditor);
    let lines = text(&buf);
    let pay = lines.iter().find(|l| l.contains("收款"));
    assert!(
        pay.is_some_and(|l| l.contains("无权限")),
        "{}",
        lines.join("\n")
    );
    let back = lines.iter().find(|l| l.contains("返回"));
    assert!(back.is_some_and(|l| !l.contains("无权限")));

    let mut buf = Buffer::empty(area);
    let clerk = Some((Role::Clerk, false));
    crate::ui::widgets::chrome::help_popup(area, &mut buf, Context::PayAccount, clerk);
    let lines = text(&buf);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("收款") && !l.contains("无权限"))
    );
}

/// The help popup has a row per key plus its frame; at 80×24 the body is 20 rows, and a
/// longer list goes into two columns.
#[test]
fn every_help_fits_80x24() {
    for ctx in Context::ALL {
        let n = bindings(ctx).len();
        let rows = if n + 2 > 20 { n.div_ceil(2) } else { n };
        assert!(rows + 2 <= 20, "{ctx:?} help is too long");
    }
}
