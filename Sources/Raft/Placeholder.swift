// placeholder, replaced by the Raft work
