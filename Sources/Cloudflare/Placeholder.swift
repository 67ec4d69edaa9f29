// placeholder, replaced by the Cloudflare work
