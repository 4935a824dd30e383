//! The languages of the information sheet: the languages of the people registered, not
//! of the pages (`information/<tag>.ftl`, one file per language). Burmese, Bengali, Dari
//! and Pashto are here because the people arriving speak them; Arabic, Dari and Pashto
//! are written right to left.
//!
//! # Invariants
//!
//! - Every message exists in every sheet language (a test compares the files); a
//!   missing one shows as `⟦id⟧`, which the browser tests look for.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::i18n::Lang;

/// A language the information sheet is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetLang {
    En,
    Zh,
    Ar,
    My,
    Bn,
    Prs,
    Ps,
}

impl SheetLang {
    pub const ALL: [SheetLang; 7] = [
        Self::En,
        Self::Zh,
        Self::Ar,
        Self::My,
        Self::Bn,
        Self::Prs,
        Self::Ps,
    ];

    /// The BCP 47 tag, as in the sheet's `lang` and the `lang` parameter.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
            Self::Ar => "ar",
            Self::My => "my",
            Self::Bn => "bn",
            Self::Prs => "prs",
            Self::Ps => "ps",
        }
    }

    /// The language's own name, for the links to the other sheets.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Zh => "中文",
            Self::Ar => "العربية",
            Self::My => "မြန်မာ",
            Self::Bn => "বাংলা",
            Self::Prs => "دری",
            Self::Ps => "پښتو",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Self::Ar | Self::Prs | Self::Ps => "rtl",
            _ => "ltr",
        }
    }

    /// A tag as given in the `lang` parameter: `my`, `bn`, `prs`, `fa-AF`, `zh-Hans` …
    pub fn parse(tag: &str) -> Option<Self> {
        let lower = tag.trim().to_ascii_lowercase().replace('_', "-");
        if lower == "fa-af" {
            return Some(Self::Prs);
        }
        let primary = lower.split('-').next()?;
        Self::ALL
            .into_iter()
            .find(|l| l.tag().to_ascii_lowercase().split('-').next() == Some(primary))
    }

    /// The sheet language of a language recorded for a person (ISO 639-3, as stored).
    pub fn of_spoken(code: &str) -> Option<Self> {
        match code {
            "eng" => Some(Self::En),
            "zho" | "cmn" => Some(Self::Zh),
            "ara" | "arb" | "apc" | "arz" | "acm" | "ayl" | "ary" | "apd" => Some(Self::Ar),
            "mya" => Some(Self::My),
            "ben" => Some(Self::Bn),
            "prs" | "fas" => Some(Self::Prs),
            "pus" | "pbt" | "pbu" | "pst" => Some(Self::Ps),
            _ => None,
        }
    }

    /// The sheet in the language of the pages.
    pub fn of_page(lang: Lang) -> Self {
        match lang {
            Lang::En => Self::En,
            Lang::Zh => Self::Zh,
            Lang::Ar => Self::Ar,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Self::En => include_str!("../../information/en.ftl"),
            Self::Zh => include_str!("../../information/zh-CN.ftl"),
            Self::Ar => include_str!("../../information/ar.ftl"),
            Self::My => include_str!("../../information/my.ftl"),
            Self::Bn => include_str!("../../information/bn.ftl"),
            Self::Prs => include_str!("../../information/prs.ftl"),
            Self::Ps => include_str!("../../information/ps.ftl"),
        }
    }

    /// A day written for the sheet: digits and the ISO order, which every reader of these
    /// languages can read on a paper they keep (`2026-11-27`).
    pub fn date(self, d: time::Date) -> String {
        match self {
            Self::En | Self::Zh | Self::Ar => {
                Lang::parse(self.tag()).map_or_else(|| d.to_string(), |l| l.date(d))
            }
            _ => d.to_string(),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<SheetLang, Bundle> {
    static BUNDLES: OnceLock<HashMap<SheetLang, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SheetLang::ALL
            .iter()
            .map(|lang| {
                let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
                let mut bundle = Bundle::new_concurrent(vec![id]);
                // A file that does not parse keeps what did: missing messages show as ⟦id⟧.
                let resource = FluentResource::try_new(lang.source().to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                (*lang, bundle)
            })
            .collect()
    })
}

/// The strings of one sheet language.
#[derive(Debug, Clone, Copy)]
pub struct SheetTr {
    pub lang: SheetLang,
}

impl SheetTr {
    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.with(id, &[])
    }

    /// The message `id` with arguments.
    pub fn with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(bundle) = bundles().get(&self.lang) else {
            return format!("⟦{id}⟧");
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("⟦{id}⟧");
        };
        let mut fluent_args = FluentArgs::new();
        for (k, v) in args {
            fluent_args.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(str::to_owned)
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn every_message_is_in_every_sheet_language() {
        let en = ids(SheetLang::En.source());
        assert!(en.len() > 50);
        for lang in SheetLang::ALL {
            let source = lang.source();
            assert!(
                FluentResource::try_new(source.to_owned()).is_ok(),
                "{} does not parse",
                lang.tag()
            );
            assert_eq!(ids(source), en, "{}", lang.tag());
            for id in &en {
                let text = SheetTr { lang }.t(id);
                assert!(
                    !text.contains('⟦') && !text.trim().is_empty(),
                    "{id} in {}",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn sheet_languages_are_found_from_tags_and_spoken_languages() {
        assert_eq!(SheetLang::parse("fa-AF"), Some(SheetLang::Prs));
        assert_eq!(SheetLang::parse("prs"), Some(SheetLang::Prs));
        assert_eq!(SheetLang::parse("zh-Hans"), Some(SheetLang::Zh));
        assert_eq!(SheetLang::parse("my"), Some(SheetLang::My));
        assert_eq!(SheetLang::parse("fr"), None);
        assert_eq!(SheetLang::of_spoken("pbt"), Some(SheetLang::Ps));
        assert_eq!(SheetLang::of_spoken("ben"), Some(SheetLang::Bn));
        assert_eq!(SheetLang::of_spoken("rhg"), None);
        for rtl in [SheetLang::Ar, SheetLang::Prs, SheetLang::Ps] {
            assert_eq!(rtl.dir(), "rtl");
        }
        assert_eq!(SheetLang::My.dir(), "ltr");
        let day = time::macros::date!(2026 - 11 - 27);
        assert_eq!(SheetLang::Bn.date(day), "2026-11-27");
        assert_eq!(SheetLang::En.date(day), "27 Nov 2026");
    }
}
