print("stress placeholder")
