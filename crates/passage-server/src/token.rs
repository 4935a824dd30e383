//! The printable token: a card with the registration number as text and as a QR code.
//! The code holds the number only, never a name, so a lost wristband reveals nothing.

use passage_domain::regno::RegistrationNumber;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG card for `number`, with `label` (e.g. "Household of 5") under it.
pub fn card(number: &RegistrationNumber, label: &str) -> Result<String, qrcode::types::QrError> {
    let text = number.to_string();
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let qr = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // The renderer writes a complete document; nest it without its XML declaration.
    let qr = qr
        .split_once("?>")
        .map_or(qr.as_str(), |(_, rest)| rest)
        .trim();
    let qr = qr.replacen("<svg ", "<svg x=\"20\" y=\"20\" ", 1);
    Ok(format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"300\" viewBox=\"0 0 240 300\">",
            "<rect width=\"240\" height=\"300\" fill=\"#fff\" stroke=\"#000\"/>",
            "{qr}",
            "<text x=\"120\" y=\"250\" font-family=\"monospace\" font-size=\"20\" text-anchor=\"middle\">{number}</text>",
            "<text x=\"120\" y=\"278\" font-family=\"sans-serif\" font-size=\"13\" text-anchor=\"middle\">{label}</text>",
            "</svg>\n"
        ),
        qr = qr,
        number = escape(&text),
        label = escape(label),
    ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_domain::regno::SiteCode;

    #[test]
    fn the_card_shows_the_number_and_carries_a_qr_code() {
        let n = RegistrationNumber::new(SiteCode::try_from("ACH".to_owned()).unwrap(), 42);
        let svg = card(&n, "Household <5>").unwrap();
        assert!(svg.contains(&n.to_string()));
        assert!(svg.contains("Household &lt;5&gt;"));
        assert_eq!(svg.matches("<svg").count(), 2);
        assert!(
            svg.contains("<path") || svg.contains("<rect x="),
            "no QR modules drawn"
        );
    }
}
