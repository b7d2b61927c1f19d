//! Printing through the print layer: the printer and fonts chosen in the settings. Later
//! issues print receipts and slips through `Service::print`.
use std::path::PathBuf;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::settings::SettingValue;
use crate::print::{
    FolderPrinter, FontSet, Paper, PrintJob, PrintOutcome, Printer, SystemPrinter, TestPageView,
    render_test_page_with,
};

impl Service {
    fn text_setting(&self, key: &str) -> ServiceResult<String> {
        Ok(self.setting(key)?.value)
    }

    /// The print folder: the setting, or `print/` in the data directory.
    pub fn print_folder(&self) -> ServiceResult<PathBuf> {
        let v = self.text_setting("print.folder")?;
        Ok(if v.trim().is_empty() {
            self.data_dir().join("print")
        } else {
            PathBuf::from(v.trim())
        })
    }

    /// The paper chosen for slips and receipts.
    pub fn paper(&self) -> ServiceResult<Paper> {
        let code = self.text_setting("print.paper")?;
        // the settings screen only stores a listed choice: anything else is damaged data,
        // not a reason to print on paper nobody chose
        Paper::from_setting_code(&code).ok_or_else(|| {
            ServiceError::Store(crate::store::StoreError::Corrupt(format!(
                "设置“单据纸张”的值“{code}”不认识"
            )))
        })
    }

    /// The embedded font, plus the external one for rare characters when set.
    pub fn fonts(&self) -> ServiceResult<FontSet> {
        let path = self.text_setting("print.external_font")?;
        if path.trim().is_empty() {
            return Ok(FontSet::embedded()?);
        }
        let face = match self.setting("print.external_font_face")?.typed() {
            Ok(SettingValue::Int(i)) => usize::try_from(i).unwrap_or(0),
            _ => 0,
        };
        Ok(FontSet::with_external(
            std::path::Path::new(path.trim()),
            face,
        )?)
    }

    /// A warning for text that no configured font can draw (printed as `〔U+XXXX〕`
    /// stand-ins), e.g. a name just saved; `None` when every character prints.
    pub fn unprintable_warning(&self, what: &str, text: &str) -> Option<String> {
        let missing = self.fonts().ok()?.missing_glyphs(text);
        if missing.is_empty() {
            return None;
        }
        let chars: String = missing.iter().collect();
        Some(format!(
            "{what}中的“{chars}”现有字体印不出来，单据上将印为代码（如〔U+{:04X}〕）；可在系统设置→打印中指定外部字体。{what}已按输入保存",
            u32::from(missing[0])
        ))
    }

    /// Render a document with the configured fonts and print it (print folder, then the
    /// system printer when one is set).
    pub(crate) fn render_and_print(
        &self,
        file_stem: &str,
        render: impl FnOnce(FontSet) -> Result<Vec<u8>, crate::print::PrintError>,
    ) -> ServiceResult<PrintOutcome> {
        let pdf = render(self.fonts()?).map_err(ServiceError::from)?;
        self.print(file_stem, pdf)
    }

    /// Write a PDF to the print folder and, when a system printer is set, send it there.
    pub fn print(&self, file_stem: &str, pdf: Vec<u8>) -> ServiceResult<PrintOutcome> {
        let folder = self.print_folder()?;
        let printer = self.text_setting("print.system_printer")?;
        let job = PrintJob {
            file_stem: file_stem.to_string(),
            pdf,
        };
        // empty: the print folder only; 默认: the system's default printer; else that printer
        let out = match printer.trim() {
            "" => FolderPrinter::new(folder).print(&job)?,
            "默认" => SystemPrinter {
                folder,
                printer: String::new(),
            }
            .print(&job)?,
            name => SystemPrinter {
                folder,
                printer: name.to_string(),
            }
            .print(&job)?,
        };
        Ok(out)
    }

    /// 打印测试页: station name, date, a line of mixed Chinese, digits and ¥.
    pub fn print_test_page(&self, session: &Session) -> ServiceResult<PrintOutcome> {
        let station = self.require_station()?;
        let now = self.now();
        let view = TestPageView {
            station_name: station.name.clone(),
            station_code: station.code.clone(),
            printed_at: now,
            printed_by: session.display_name.clone(),
            paper: self.paper()?,
        };
        self.render_and_print(&format!("测试页-{}", now.format("%Y%m%d-%H%M%S")), |f| {
            render_test_page_with(&view, f)
        })
    }
}

impl Service {
    /// Whether the audit key sheet is still to be printed (the chief is reminded).
    pub fn key_sheet_pending(&self) -> ServiceResult<bool> {
        Ok(crate::store::mac::state(self.store.conn())?.is_some_and(|k| k.sheet_pending))
    }

    /// 打印审计密钥单: once, by the chief. The first key goes to the printer; only when the
    /// print succeeded is it erased here (with its audit entry), so a failed print can be
    /// tried again and a printed one cannot be printed twice.
    pub fn print_key_sheet(&mut self, session: &Session) -> ServiceResult<PrintOutcome> {
        use crate::domain::role::Need;
        use crate::store::audit::{self, Changes, NewEntry};
        use crate::store::mac;
        let cx = self.begin_to(session, Need::Chief, "打印审计密钥单")?;
        let Some((start, key)) = mac::sheet_key(self.store.conn())? else {
            let when = mac::state(self.store.conn())?
                .and_then(|k| k.printed_at)
                .unwrap_or_default();
            return Err(ServiceError::Refused(format!(
                "审计密钥单已于 {when} 打印过，初始密钥已销毁，不能再打印"
            )));
        };
        let station = self.require_station()?;
        let view = crate::print::KeySheetView {
            station_name: station.name.clone(),
            station_code: station.code.clone(),
            key_text: mac::sheet_text(start, &key),
            start_seq: start,
            printed_at: cx.now,
            printed_by: cx.session.display_name.clone(),
            paper: self.paper()?,
        };
        let out = self.render_and_print(
            &format!("审计密钥单-{}", cx.now.format("%Y%m%d-%H%M%S")),
            |f| crate::print::render_key_sheet(&view, f),
        )?;
        self.store.write(|tx| -> ServiceResult<()> {
            mac::erase_sheet_key(tx, cx.now)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "audit.key_sheet",
                    entity: "database",
                    entity_id: "",
                    changes: Changes::new()
                        .note("start_seq", start)
                        .note("file", out.path.display().to_string()),
                },
            )?;
            Ok(())
        })?;
        Ok(out)
    }
}
