//! How many SMS a text is sent as, so the reply box can say `161 · 2 SMS` before it goes out.
//!
//! A text whose every character is in the GSM 03.38 alphabet goes as GSM-7: 160 septets in one
//! message, 153 per part once it is split (the other 7 carry the header that joins the parts).
//! The extension table (`{}[]~\^|€` and form feed) costs two septets, an escape and the
//! character. One character outside both tables and the whole text goes as UCS-2: 70 UTF-16
//! units in one message, 67 per part; an emoji outside the basic plane is two units. Encoders do
//! not split an escape pair or a surrogate pair between parts, so parts are filled greedily.

use unicode_segmentation::UnicodeSegmentation;

/// Septets or UTF-16 units in a single message, and in each part of a split one.
const GSM7_SINGLE: usize = 160;
const GSM7_PART: usize = 153;
const UCS2_SINGLE: usize = 70;
const UCS2_PART: usize = 67;

/// The GSM 03.38 basic character set (one septet each; escape, 0x1B, left out).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The GSM 03.38 extension table (two septets each: escape and the character).
const GSM7_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// How a text is encoded on the air.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// What a text costs as SMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    /// Characters as a reader counts them (grapheme clusters).
    pub chars: usize,
    /// Messages it is sent as (0 for an empty text).
    pub parts: usize,
}

/// Septets `c` takes in GSM-7, or `None` when it needs UCS-2.
fn septets(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Parts of at most `part` units holding `units` in order, none split between two parts.
fn parts(units: &[usize], single: usize, part: usize) -> usize {
    let total: usize = units.iter().sum();
    if total == 0 {
        return 0;
    }
    if total <= single {
        return 1;
    }
    let (mut count, mut used) = (1, 0);
    for &unit in units {
        if used + unit > part {
            count += 1;
            used = 0;
        }
        used += unit;
    }
    count
}

/// What `text` costs as SMS.
pub fn segments(text: &str) -> Segments {
    let chars = text.graphemes(true).count();
    let gsm: Option<Vec<usize>> = text.chars().map(septets).collect();
    let (encoding, units, single, part) = if let Some(septets) = gsm {
        (Encoding::Gsm7, septets, GSM7_SINGLE, GSM7_PART)
    } else {
        let units = text.chars().map(char::len_utf16).collect();
        (Encoding::Ucs2, units, UCS2_SINGLE, UCS2_PART)
    };
    Segments {
        encoding,
        chars,
        parts: parts(&units, single, part),
    }
}

/// Whether a conversation on `channel` is carried as SMS (AgentPhone `sms`, Chatwoot's SMS and
/// Twilio SMS inboxes), so its reply box counts parts.
pub fn is_sms_channel(channel: Option<&str>) -> bool {
    channel.is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c == "sms" || c == "twiliosms" || c == "twilio_sms"
    })
}

#[cfg(test)]
mod tests {
    use super::{Encoding, Segments, is_sms_channel, segments};

    fn parts(text: &str) -> (Encoding, usize) {
        let Segments {
            encoding, parts, ..
        } = segments(text);
        (encoding, parts)
    }

    #[test]
    fn gsm7_is_160_in_one_then_153_a_part() {
        assert_eq!(parts(""), (Encoding::Gsm7, 0));
        assert_eq!(parts("a"), (Encoding::Gsm7, 1));
        assert_eq!(parts(&"a".repeat(160)), (Encoding::Gsm7, 1));
        assert_eq!(parts(&"a".repeat(161)), (Encoding::Gsm7, 2));
        assert_eq!(parts(&"a".repeat(306)), (Encoding::Gsm7, 2));
        assert_eq!(parts(&"a".repeat(307)), (Encoding::Gsm7, 3));
        assert_eq!(parts(&"a".repeat(459)), (Encoding::Gsm7, 3));
        assert_eq!(parts(&"a".repeat(460)), (Encoding::Gsm7, 4));
    }

    #[test]
    fn the_whole_basic_set_stays_gsm7() {
        let text = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà";
        assert_eq!(parts(text).0, Encoding::Gsm7);
    }

    #[test]
    fn extension_characters_take_two_septets() {
        for c in ['{', '}', '[', ']', '~', '\\', '^', '|', '€'] {
            assert_eq!(parts(&c.to_string()), (Encoding::Gsm7, 1), "{c}");
            // 80 of them are 160 septets: one message; 81 are 162: two.
            assert_eq!(parts(&c.to_string().repeat(80)), (Encoding::Gsm7, 1), "{c}");
            assert_eq!(parts(&c.to_string().repeat(81)), (Encoding::Gsm7, 2), "{c}");
        }
        // 159 plain + one extension = 161 septets.
        let text = format!("{}€", "a".repeat(159));
        assert_eq!(segments(&text).chars, 160);
        assert_eq!(parts(&text), (Encoding::Gsm7, 2));
        // An escape pair is not split: 152 septets + a pair spill into the next part.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(parts(&text), (Encoding::Gsm7, 3));
    }

    #[test]
    fn ucs2_is_70_in_one_then_67_a_part() {
        assert_eq!(parts(&"é".repeat(70)), (Encoding::Gsm7, 1), "é is GSM-7");
        assert_eq!(parts(&"ç".repeat(70)), (Encoding::Ucs2, 1), "ç is not");
        assert_eq!(parts(&"ç".repeat(71)), (Encoding::Ucs2, 2));
        assert_eq!(parts(&"ç".repeat(134)), (Encoding::Ucs2, 2));
        assert_eq!(parts(&"ç".repeat(135)), (Encoding::Ucs2, 3));
        // One curly quote in 100 plain letters turns the whole text to UCS-2.
        let text = format!("{}’", "a".repeat(100));
        assert_eq!(parts(&text), (Encoding::Ucs2, 2));
        assert_eq!(parts("tab\there").0, Encoding::Ucs2);
    }

    #[test]
    fn an_emoji_outside_the_basic_plane_is_two_units_and_one_character() {
        let one = segments("👍");
        assert_eq!((one.encoding, one.chars, one.parts), (Encoding::Ucs2, 1, 1));
        // 35 emoji are 70 units: one message; 36 are 72: two.
        assert_eq!(parts(&"👍".repeat(35)), (Encoding::Ucs2, 1));
        let many = segments(&"👍".repeat(36));
        assert_eq!((many.chars, many.parts), (36, 2));
        // A surrogate pair is not split: 66 units + a pair spill into the next part.
        let text = format!("{}👍{}", "ç".repeat(66), "ç".repeat(66));
        assert_eq!(parts(&text), (Encoding::Ucs2, 3));
        // A flag is one character of four units.
        assert_eq!(segments("🇫🇷").chars, 1);
    }

    #[test]
    fn sms_channels_are_recognised() {
        assert!(is_sms_channel(Some("sms")));
        assert!(is_sms_channel(Some("SMS")));
        assert!(is_sms_channel(Some("twiliosms")));
        assert!(!is_sms_channel(Some("imessage")));
        assert!(!is_sms_channel(Some("whatsapp")));
        assert!(!is_sms_channel(None));
    }
}
