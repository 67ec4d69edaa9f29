print("vantage-bench")
