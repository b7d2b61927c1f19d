//! 系统设置 → 数据交接 (issue 17): the chief writes the bundle and confirms it from the
//! menu; the list shows pending and confirmed bundles with their counts; others only look.
use crate::common::ui::{app_as, app_signed_in, key, text};
use crate::common::{self, billing_env as be};
use crossterm::event::KeyCode;

#[test]
fn the_chief_exports_and_confirms_a_bundle_at_80x24() {
    let (mut e, chief) = common::with_station();
    let clerk = be::account(
        &mut e,
        &chief,
        "clerk1",
        stationdesk::domain::role::Role::Clerk,
    );
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(9));
    key(&mut app, KeyCode::Char('x'));
    let s = text(&app, 80, 24);
    assert!(s.contains("数据交接") && s.contains("还没有交接包"), "{s}");
    assert!(s.contains("尚未打包的交接记录"), "{s}");
    key(&mut app, KeyCode::Char('x'));
    let s = text(&app, 80, 24);
    assert!(s.contains("已写出交接包 WZ01-000001"), "{s}");
    assert!(s.contains("WZ01-000001") && s.contains("待确认"), "{s}");
    assert!(
        e.dir
            .path()
            .join("handover")
            .join("WZ01-000001")
            .join("manifest.json")
            .exists()
    );
    key(&mut app, KeyCode::Char('c'));
    let s = text(&app, 80, 24);
    assert!(s.contains("确认县公司已接收交接包"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已确认"), "{s}");
    // nothing new: said so, nothing written
    key(&mut app, KeyCode::Char('x'));
    assert!(text(&app, 80, 24).contains("没有新的改动"));
    drop(app);
    let _ = clerk;
    let mut app = app_as(&e, "clerk1", "pass-word1");
    // a new account sets its own password first
    for p in ["pass-word1", "new-pass-9", "new-pass-9"] {
        crate::common::ui::typed(&mut app, p);
        key(&mut app, KeyCode::Enter);
    }
    key(&mut app, KeyCode::F(9));
    key(&mut app, KeyCode::Char('x'));
    let s = text(&app, 80, 24);
    assert!(s.contains("WZ01-000001") && s.contains("已确认"), "{s}");
    key(&mut app, KeyCode::Char('x'));
    assert!(text(&app, 80, 24).contains("只有所长可以导出交接包"));
}
