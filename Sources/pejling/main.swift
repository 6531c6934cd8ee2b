print("pejling")
