extension Duration {
    /// Whole milliseconds, rounded to the nearest: a 300 ms budget measured a moment after the
    /// deadline was set still reads 300 in a timeout message.
    var roundedMilliseconds: Int64 {
        let nanoseconds = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
        return (nanoseconds + 500_000) / 1_000_000
    }
}
