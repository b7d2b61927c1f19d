//! Enums stored as a short code and shown with a Chinese label (付款方式, 岗位, 工单类型 …).
//!
//! Rule: every such enum is declared with [`coded_enum!`], which writes `code()`,
//! `from_code()`, `label()` and `ALL` from one table, so a code and its label can't drift
//! apart and a new variant can't be forgotten in one of four `match` blocks. The store
//! turns the [`Coded`] trait into `ToSql`/`FromSql` (`store/convert.rs`); the domain itself
//! knows nothing of SQL. A code that is not in the table is an [`UnknownCode`] error, never
//! a default: a corrupt row must not read as cash.

/// An enum with a stored code and a Chinese label.
pub trait Coded: Copy + Sized + 'static {
    /// What the enum is, in Chinese, for messages (`付款方式`).
    const WHAT: &'static str;
    /// Every variant, in declaration order.
    fn all() -> &'static [Self];
    /// The code stored in the database.
    fn code(self) -> &'static str;
    /// The Chinese name shown on screens.
    fn label(self) -> &'static str;
    /// The variant stored as `code`, or the error that names what was found.
    fn parse_code(code: &str) -> Result<Self, UnknownCode> {
        Self::all()
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| UnknownCode {
                what: Self::WHAT,
                code: code.to_string(),
            })
    }
}

/// A stored code that no variant has.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("未知的{what}代码 \"{code}\"")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

/// Declare a coded enum:
///
/// ```ignore
/// coded_enum! {
///     /// How the money was paid.
///     #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
///     pub enum PayMethod: "付款方式" {
///         /// 现金
///         Cash = "cash" / "现金",
///         Card = "card" / "银行卡",
///     }
/// }
/// ```
///
/// generates the enum, `ALL`, `code()`, `from_code()`, `label()` and [`Coded`].
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal / $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// Code stored in the database.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The variant stored as `code` (`None`: no such code).
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// Chinese name shown on screens.
            pub fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }
        }

        impl $crate::domain::coded::Coded for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::coded_enum! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Fruit: "水果" {
            /// a pear
            Pear = "pear" / "梨",
            Apple = "apple" / "苹果",
        }
    }

    #[test]
    fn the_table_gives_code_label_and_all() {
        assert_eq!(Fruit::ALL, [Fruit::Pear, Fruit::Apple]);
        assert_eq!(Fruit::Apple.code(), "apple");
        assert_eq!(Fruit::Apple.label(), "苹果");
        assert_eq!(Fruit::from_code("pear"), Some(Fruit::Pear));
        assert_eq!(Fruit::from_code("plum"), None);
        assert_eq!(Fruit::parse_code("pear"), Ok(Fruit::Pear));
        let e = Fruit::parse_code("plum").unwrap_err();
        assert_eq!(e.to_string(), "未知的水果代码 \"plum\"");
    }
}
