extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks (header values, RFC 9110 §5.5).
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\r" || $0 == "\n" }
        let text = self[...]
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return Substring(text[first...last])
    }
}
