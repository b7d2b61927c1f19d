//! Search-as-you-type for picking a customer: one search wherever a customer is picked
//! (docs/search.md). What was typed chooses the method ([`Query::classify`]); every method
//! is index-backed and limited, so a keystroke stays well under 10 ms on 100,000 customers.
use std::time::Instant;

use super::{Service, ServiceResult};
use crate::domain::idcheck::mask_phone;
use crate::domain::search::{Matched, Query};
use crate::store::search as store_search;

/// Most hits one call returns.
pub const MAX_LIMIT: usize = 200;
/// Deepest offset served; past it, typing more is the way on.
pub const MAX_OFFSET: usize = 10_000;

/// One customer in the pick list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerHit {
    pub id: i64,
    /// 户号 (13 digits)
    pub account_no: String,
    /// old 10-digit 户号, where there is one
    pub old_account_no: Option<String>,
    pub name: String,
    /// masked (`138****5678`): the list may be seen from the other side of the counter
    pub phone_masked: String,
    pub address: String,
    /// 台区 name
    pub area_name: Option<String>,
    /// `active`, `suspended` or `closed`; see [`CustomerHit::status_label`]
    pub status: String,
    /// how it was found (also its rank)
    pub matched: Matched,
}

impl CustomerHit {
    pub fn status_label(&self) -> &'static str {
        crate::domain::customer::status_label(&self.status)
    }
}

/// One page of hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPage {
    pub hits: Vec<CustomerHit>,
    /// there are hits after this page
    pub more: bool,
    /// the method chosen for what was typed ([`Query::method`])
    pub method: &'static str,
}

impl Service {
    /// Customers matching `query`, best first: an exact 户号 or old 户号, then phone 尾号,
    /// 户号 and phone prefixes, then name (exact, prefix, pinyin initials, inside the name),
    /// then address. `limit` is capped at [`MAX_LIMIT`], `offset` at [`MAX_OFFSET`]. An
    /// empty or blank query gives an empty page.
    pub fn search_customers(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> ServiceResult<SearchPage> {
        let q = Query::classify(query);
        let limit = limit.min(MAX_LIMIT);
        let offset = offset.min(MAX_OFFSET);
        let mut rows = store_search::search(self.store().conn(), &q, limit + 1, offset)?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let hits = rows
            .into_iter()
            .map(|r| CustomerHit {
                id: r.id,
                account_no: r.account_no,
                old_account_no: r.old_account_no,
                name: r.name,
                phone_masked: mask_phone(&r.phone),
                address: r.address,
                area_name: r.area_name,
                status: r.status,
                matched: r.matched,
            })
            .collect();
        Ok(SearchPage {
            hits,
            more,
            method: q.method(),
        })
    }
}

/// Rows per page in the benchmark (what a pick list shows).
const BENCH_PAGE: usize = 20;
/// Customers the benchmark keystrokes are taken from.
const BENCH_SAMPLES: usize = 20;

/// Time realistic keystroke sequences on the current database: each prefix of what a clerk
/// types is one search of [`BENCH_PAGE`] rows. Returns `(sequence, p50 ms, p99 ms)` over
/// all keystrokes of the sequence, `runs` times over; the last line covers every keystroke.
pub fn search_bench(svc: &Service, runs: usize) -> ServiceResult<Vec<(String, f64, f64)>> {
    let samples = store_search::samples(svc.store().conn(), BENCH_SAMPLES)?;
    let mut sequences: Vec<(&str, Vec<(String, usize)>)> = Vec::new();
    let typed = |s: &str| -> Vec<(String, usize)> {
        let chars: Vec<char> = s.chars().collect();
        (1..=chars.len())
            .map(|n| (chars[..n].iter().collect(), 0))
            .collect()
    };
    let each = |f: &dyn Fn(&store_search::Sample) -> Vec<(String, usize)>| {
        samples.iter().flat_map(f).collect::<Vec<_>>()
    };
    sequences.push(("户号逐位输入", each(&|s| typed(&s.account_no))));
    sequences.push((
        "旧户号逐位输入",
        each(&|s| s.old_account_no.as_deref().map(typed).unwrap_or_default()),
    ));
    sequences.push(("拼音首字母 z, zs, zsm", each(&|s| typed(&s.name_initials))));
    sequences.push(("姓名逐字输入", each(&|s| typed(&s.name))));
    sequences.push((
        "名字中的一两个字",
        each(&|s| {
            let chars: Vec<char> = s.name.chars().collect();
            let given = chars.get(1..).unwrap_or_default();
            let mut v = vec![(given.iter().rev().take(1).collect(), 0)];
            if given.len() >= 2 {
                v.push((given[given.len() - 2..].iter().collect(), 0));
            }
            v
        }),
    ));
    sequences.push((
        "电话尾号 4 位逐位",
        each(&|s| {
            let tail: String = s
                .phone
                .chars()
                .skip(s.phone.chars().count().saturating_sub(4))
                .collect();
            typed(&tail)
        }),
    ));
    sequences.push(("手机号逐位输入", each(&|s| typed(&s.phone))));
    // an address is typed from where it starts to differ (the township is the same for all)
    let common_len = samples
        .iter()
        .map(|s| s.address.as_str())
        .reduce(|a, b| {
            let n = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            let end = a.char_indices().nth(n).map_or(a.len(), |(i, _)| i);
            &a[..end]
        })
        .map_or(0, |p| p.chars().count());
    sequences.push((
        "地址逐字输入（从村名起）",
        each(&|s| typed(&s.address.chars().skip(common_len).collect::<String>())),
    ));
    // several words, as typed: the village, a space, the group (`王`, `王庄`, `王庄 `,
    // `王庄 3`, `王庄 3组`), and words that match nobody (the walk reads every address)
    sequences.push((
        "几个词：村名 空格 组（王庄 3组）",
        each(&|s| {
            let village: String = s
                .address
                .chars()
                .skip(common_len)
                .take_while(|c| *c != '村')
                .collect();
            let group: String = s
                .address
                .chars()
                .skip_while(|c| *c != '村')
                .skip(1)
                .take_while(|c| *c != '组')
                .chain(['组'])
                .collect();
            typed(&format!("{village} {group}"))
        }),
    ));
    sequences.push((
        "几个词都找不到（最慢）",
        ["无此 3组", "王庄 99组", "测试 无人"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect(),
    ));
    let common = [
        "王", "张", "李", "秀", "英", "明", "z", "w", "l", "x", "037", "1", "0",
    ];
    sequences.push((
        "最宽的输入（常见单字、首字母）",
        common.iter().map(|s| (s.to_string(), 0)).collect(),
    ));
    sequences.push((
        "翻页：王，第 1–10 页",
        (0..10)
            .map(|p| ("王".to_string(), p * BENCH_PAGE))
            .collect(),
    ));

    let mut out = Vec::new();
    let mut all = Vec::new();
    for (label, keys) in &sequences {
        let mut times = Vec::with_capacity(keys.len() * runs);
        for _ in 0..runs {
            for (q, offset) in keys {
                let t0 = Instant::now();
                let page = svc.search_customers(q, BENCH_PAGE, *offset)?;
                times.push(t0.elapsed().as_secs_f64() * 1000.0);
                std::hint::black_box(page);
            }
        }
        all.extend_from_slice(&times);
        let (p50, p99) = percentiles(&mut times);
        out.push((format!("{label}（{} 次）", times.len()), p50, p99));
    }
    let (p50, p99) = percentiles(&mut all);
    out.push((format!("全部按键（{} 次）", all.len()), p50, p99));
    Ok(out)
}

/// p50 and p99 of `v` (sorted in place); zeros when empty.
fn percentiles(v: &mut [f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[(((v.len() - 1) as f64) * p).round() as usize];
    (at(0.5), at(0.99))
}
