// placeholder, replaced by the Probe work
