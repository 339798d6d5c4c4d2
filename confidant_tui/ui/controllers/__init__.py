"""Controllers: code that drives a screen without being a widget.

A controller opens dialogs and screens for a screen and reads or fills its form fields;
each states what it needs of the screen as a `Protocol` (e.g. `CaseScreen`), so the
screen stays small and the controller typed. Controllers may use widgets, dialogs and
`ui/navigation.py`; they never import a screen module.
"""
