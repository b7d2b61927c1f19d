//! A message that names a key takes its label from the keymap; this test finds keys typed
//! inside Chinese string literals under `src/ui` and names the file and line.

/// A key name typed inside a Chinese string literal, e.g. `按 P 补打`, `（V）`,
/// `Esc 注销`: it would drift from the keymap. Such messages take `key_label(ctx, action)`.
fn typed_key(line: &str) -> Option<String> {
    const NAMED: [&str; 8] = [
        "Esc", "Enter", "Tab", "PgUp", "PgDn", "Home", "End", "Shift",
    ];
    let is_han =
        |c: char| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    // only the text inside string literals, and only literals with Chinese in them
    let mut literals = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        literals.push(&after[..end]);
        rest = &after[end + 1..];
    }
    for lit in literals.into_iter().filter(|l| l.chars().any(is_han)) {
        let chars: Vec<char> = lit.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            // a token of ASCII letters and digits
            if !chars[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            let is_key = NAMED.contains(&token.as_str())
                || (token.len() == 1 && token.chars().all(|c| c.is_ascii_uppercase()))
                || (token.starts_with('F')
                    && token.len() <= 3
                    && token.len() > 1
                    && token[1..].chars().all(|c| c.is_ascii_digit()));
            if !is_key {
                continue;
            }
            let prev = start.checked_sub(1).map(|j| chars[j]);
            let prev2 = start.checked_sub(2).map(|j| chars[j]);
            let next = chars.get(i).copied();
            let next2 = chars.get(i + 1).copied();
            // the key stands alone: after a space, an opening bracket or the literal's start
            let alone_before = matches!(prev, None | Some(' ' | '（' | '，' | '；' | '、' | '→'));
            let alone_after = matches!(next, None | Some(' ' | '）' | '/' | '，'));
            // and reads as a key: `按 X`, `（X）`, `X 做某事`
            let said = prev2 == Some('按')
                || prev == Some('按')
                || (matches!(prev, Some('（')) && matches!(next, Some('）' | ' ')))
                || (next == Some(' ') && next2.is_some_and(is_han))
                || (matches!(next, Some('/')) && next2.is_some_and(|c| c.is_ascii_alphanumeric()));
            if alone_before && alone_after && said {
                return Some(token);
            }
        }
    }
    None
}

#[test]
fn the_scanner_finds_typed_keys() {
    for bad in [
        r#"format!("（可在收费 → 收据中按 P 补打）")"#,
        r#"Msg::warn("客户原因消除后按 R 恢复计时")"#,
        r#"format!("新增考核记录 {n} 条（考核 K 查看）")"#,
        r#"" 请设置新密码（Esc 注销） ""#,
        r#""请输入用户名和密码，Enter 登录""#,
        r#"" 筛选：{}（V）""#,
        r#""Y 载入演示数据    N 不载入""#,
        r#"" Esc 或 F1 关闭帮助 ""#,
        r#""按 F2 新建""#,
    ] {
        assert!(typed_key(bad).is_some(), "missed: {bad}");
    }
    for ok in [
        r#""金额未设（按 0 元计）""#,
        r#""打印 PDF""#,
        r#""导出 CSV""#,
        r#"format!("按 {} 补打", key_label(Context::Receipts, Action::ReprintReceipt))"#,
        r#""A4 纸""#,
        r#"// 按 P 补打 in a comment"#,
    ] {
        assert_eq!(typed_key(ok), None, "false alarm: {ok}");
    }
}

/// Messages that name a key take its label from the keymap (`key_label`), never type it.
#[test]
fn no_key_is_typed_in_a_message_outside_the_keymap() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "keymap") {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    assert!(
        files.len() > 10,
        "no sources found under {}",
        root.display()
    );
    let mut found = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for (n, line) in src.lines().enumerate() {
            // the file's tests may type keys (they press them)
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.trim_start();
            if code.starts_with("//") || line.contains("keymap: not a key") {
                continue;
            }
            if let Some(k) = typed_key(line) {
                found.push(format!("{}:{}: `{k}` in {}", f.display(), n + 1, code));
            }
        }
    }
    assert!(
        found.is_empty(),
        "keys typed in messages (use keymap::key_label):\n{}",
        found.join("\n")
    );
}

/// Issue 18: required fields are marked the same way everywhere — the `*` of
/// `TextField::required` — never by the word 必填 in a hint (a condition, such as
/// `开通时须填写`, is said in words).
#[test]
fn required_fields_are_marked_by_the_star_alone() {
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/ui"
    ))];
    let mut found = Vec::new();
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("source_scan.rs") {
                files += 1;
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                for (n, line) in text.lines().enumerate() {
                    if line.contains("必填") {
                        found.push(format!("{}:{}: {}", p.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(files > 20);
    assert!(found.is_empty(), "{found:#?}");
}
