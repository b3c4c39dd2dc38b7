"""Pure logic with no Qt and no I/O: state machine, close classification, backoff, URL builders, JSON-RPC codec."""
