//! Certificate codes such as `CIESS-7K3Q-9XMP-T2RD`: 60 random bits in Crockford's
//! base 32, which leaves out I, L, O and U so that a code read aloud or typed from
//! paper cannot be mistaken; typing O for 0 or I/L for 1 still finds it.

use aula_core::TokenSource;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "CIESS";
const SYMBOLS: usize = 12;

/// A new random code.
pub fn generate(tokens: &dyn TokenSource) -> String {
    let mut bytes = [0u8; SYMBOLS];
    tokens.fill(&mut bytes);
    let symbols: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect();
    format(&symbols)
}

fn format(symbols: &[char]) -> String {
    let groups: Vec<String> = symbols.chunks(4).map(|c| c.iter().collect()).collect();
    format!("{PREFIX}-{}", groups.join("-"))
}

/// The canonical form of a code as someone typed it: any case, spaces or dashes,
/// the prefix optional, O read as 0 and I or L as 1. `None` when it cannot be a code.
pub fn normalise(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    if !compact.is_ascii() {
        return None;
    }
    let body = match compact.len() {
        n if n == PREFIX.len() + SYMBOLS => {
            let (prefix, body) = compact.split_at(PREFIX.len());
            // The prefix itself has an I: accept it typed as 1 or L too.
            let prefix: String = prefix
                .chars()
                .map(|c| if c == '1' || c == 'L' { 'I' } else { c })
                .collect();
            (prefix == PREFIX).then_some(body.to_owned())?
        }
        SYMBOLS => compact,
        _ => return None,
    };
    let symbols: Option<Vec<char>> = body
        .chars()
        .map(|c| match c {
            'O' => Some('0'),
            'I' | 'L' => Some('1'),
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
            _ => None,
        })
        .collect();
    Some(format(&symbols?))
}

#[cfg(test)]
mod tests {
    use aula_core::SeededTokenSource;

    use super::*;

    #[test]
    fn generated_codes_are_canonical_and_differ() {
        let tokens = SeededTokenSource::new(7);
        let a = generate(&tokens);
        let b = generate(&tokens);
        assert_ne!(a, b);
        assert_eq!(a.len(), "CIESS-7K3Q-9XMP-T2RD".len());
        assert_eq!(normalise(&a).as_deref(), Some(a.as_str()));
        assert!(!a[6..].contains(['I', 'L', 'O', 'U']), "{a}");
    }

    #[test]
    fn typed_codes_are_read_generously_but_never_guessed() {
        let code = Some("CIESS-7K3Q-9XMP-T2RD".to_owned());
        assert_eq!(normalise("ciess-7k3q-9xmp-t2rd"), code);
        assert_eq!(normalise(" CIESS 7K3Q 9XMP T2RD "), code);
        assert_eq!(normalise("7K3Q9XMPT2RD"), code);
        assert_eq!(normalise("C1ESS-7K3Q-9XMP-T2RD"), code);
        assert_eq!(
            normalise("CIESS-OOII-LLOO-T2RD").as_deref(),
            Some("CIESS-0011-1100-T2RD")
        );
        assert_eq!(normalise("CIESS-7K3Q-9XMP-T2RU"), None);
        assert_eq!(normalise("CIESS-7K3Q-9XMP-T2R"), None);
        assert_eq!(normalise("XIESS-7K3Q-9XMP-T2RD"), None);
        assert_eq!(normalise("CIESS-7K3Q-9XMP-T2RÑ"), None);
        assert_eq!(normalise(""), None);
    }
}
