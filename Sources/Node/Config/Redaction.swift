/// How `check-config` prints a secret written inline (a `crypto_key`, a webhook URL's token), and
/// how the parsers recognise that placeholder when the printed config is checked again: the
/// effective config keeps every file and variable reference, and an inline secret becomes a
/// marker that is refused with an explanation instead of being taken for a key or a URL.
enum Redaction {
    /// The placeholder that stands for an inline secret.
    static let marker = "<redacted>"

    /// Whether `text` is (or contains) the placeholder.
    static func isRedacted(_ text: String) -> Bool { text.contains(marker) }

    /// The error for a placeholder found where a secret belongs.
    static let explanation = "\(marker) is how check-config prints an inline secret; put the secret back, or keep it in a file (crypto_key_file, api_token_file) so the printed config stays complete"
}
