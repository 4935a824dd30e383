//! The languages of the pages: every string in a Fluent message file per language
//! (`i18n/<tag>/<area>.ftl`), the language picked from the `lang` query parameter, then the
//! language kept with the logged-in user, then the `passage_lang` cookie (before login),
//! then `Accept-Language`, then English ([`crate::frame::Chosen`]); Arabic is written right
//! to left.
//!
//! # Invariants
//!
//! - Every message exists in every language (a test compares the files); a missing one
//!   shows as `⟦id⟧`, which the browser tests look for.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Ar];

    /// The BCP 47 tag, as in `<html lang>` and the `lang` parameter.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
            Self::Ar => "ar",
        }
    }

    /// The language's own name, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Zh => "中文",
            Self::Ar => "العربية",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Self::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// A tag as a user or a browser writes it: `zh`, `zh-Hans`, `ar-EG`, `en-GB` …
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "zh" => Some(Self::Zh),
            "ar" => Some(Self::Ar),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header Passage speaks, by weight.
    pub fn from_accept(header: &str) -> Option<Self> {
        let mut offered: Vec<(f32, Self)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Self::parse(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse().ok())
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0));
        offered.first().map(|(_, l)| *l)
    }

    /// The message files of the language, one per area of the pages (`i18n/<tag>/*.ftl`).
    fn sources(self) -> [(&'static str, &'static str); 6] {
        macro_rules! areas {
            ($tag:literal) => {
                [
                    (
                        "common",
                        include_str!(concat!("../i18n/", $tag, "/common.ftl")),
                    ),
                    (
                        "terms",
                        include_str!(concat!("../i18n/", $tag, "/terms.ftl")),
                    ),
                    (
                        "dashboard",
                        include_str!(concat!("../i18n/", $tag, "/dashboard.ftl")),
                    ),
                    (
                        "registration",
                        include_str!(concat!("../i18n/", $tag, "/registration.ftl")),
                    ),
                    (
                        "protection",
                        include_str!(concat!("../i18n/", $tag, "/protection.ftl")),
                    ),
                    ("care", include_str!(concat!("../i18n/", $tag, "/care.ftl"))),
                ]
            };
        }
        match self {
            Self::En => areas!("en"),
            Self::Zh => areas!("zh-CN"),
            Self::Ar => areas!("ar"),
        }
    }

    /// A day as people of the language write it: `27 Nov 2026`, `2026年11月27日`,
    /// `27 نوفمبر 2026`.
    pub fn date(self, d: time::Date) -> String {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const AR: [&str; 12] = [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ];
        let month = usize::from(u8::from(d.month())) - 1;
        match self {
            Self::En => format!("{} {} {}", d.day(), EN[month], d.year()),
            Self::Zh => format!("{}年{}月{}日", d.year(), month + 1, d.day()),
            Self::Ar => format!("{} {} {}", d.day(), AR[month], d.year()),
        }
    }

    /// A count with the language's thousands separator (digits stay Western, as in the
    /// field's reports in all three languages).
    pub fn number(self, n: u64) -> String {
        let digits = n.to_string();
        let sep = match self {
            Self::En | Self::Zh => ',',
            Self::Ar => '٬',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<Lang, Bundle> {
    static BUNDLES: OnceLock<HashMap<Lang, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|lang| {
                let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
                let mut bundle = Bundle::new_concurrent(vec![id]);
                for (_, source) in lang.sources() {
                    // A file that does not parse keeps what did: missing messages show as ⟦id⟧.
                    let resource = FluentResource::try_new(source.to_owned())
                        .unwrap_or_else(|(partial, _)| partial);
                    // Ids are unique across the files (a test checks): nothing is overridden.
                    let _ = bundle.add_resource(resource);
                }
                (*lang, bundle)
            })
            .collect()
    })
}

/// The strings of one language, for a page.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
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

    pub fn number(&self, n: u64) -> String {
        self.lang.number(n)
    }

    pub fn date(&self, d: time::Date) -> String {
        self.lang.date(d)
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
    fn every_message_is_in_every_language() {
        let en = Lang::En.sources();
        assert!(en.iter().map(|(_, s)| ids(s).len()).sum::<usize>() > 20);
        for lang in Lang::ALL {
            let mut all = Vec::new();
            for ((area, source), (en_area, en_source)) in lang.sources().iter().zip(&en) {
                assert_eq!(area, en_area);
                assert_eq!(ids(source), ids(en_source), "{area} in {}", lang.tag());
                assert!(
                    FluentResource::try_new((*source).to_owned()).is_ok(),
                    "{area} in {} does not parse",
                    lang.tag()
                );
                all.extend(ids(source));
            }
            let count = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), count, "an id is in two files of {}", lang.tag());
            for id in &all {
                assert!(!Tr { lang }.t(id).contains('⟦'), "{id} in {}", lang.tag());
            }
        }
    }

    #[test]
    fn languages_are_picked_from_what_the_browser_prefers() {
        assert_eq!(
            Lang::from_accept("fr-FR, ar-EG;q=0.8, en;q=0.5"),
            Some(Lang::Ar)
        );
        assert_eq!(Lang::from_accept("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept("fr, de"), None);
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        let day = time::macros::date!(2026 - 11 - 27);
        assert_eq!(Lang::En.date(day), "27 Nov 2026");
        assert_eq!(Lang::Zh.date(day), "2026年11月27日");
        assert_eq!(Lang::Ar.date(day), "27 نوفمبر 2026");
    }
}
