"""Pure domain rules (OKR scoring, risk bands, 30-60-90 windows, due times): no I/O, no clock, no UI."""
