"""Presenters: what the adviser reads, built from domain objects, without being a widget.

Labels and explanations (`protocol_texts`), timeline entries and fact lists (`timeline`,
`case_protocol`), step summaries and the protocol status line (`protocol_steps`,
`protocol_status`), search hits with their matches marked (`highlight`), what a stored
draft is (`draft_labels`). They return Rich `Text` and plain data; widgets and screens show
it. A presenter imports no widget, dialog, screen or controller, so every part of the UI may
use one.
"""
