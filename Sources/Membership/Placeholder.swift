// placeholder, replaced by the Membership work
