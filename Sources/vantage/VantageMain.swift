@main struct VantageMain { static func main() {} }
