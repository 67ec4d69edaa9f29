// placeholder, replaced by the Simulator work
