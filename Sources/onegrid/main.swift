print("onegrid")
