// placeholder, replaced by the TOML work
