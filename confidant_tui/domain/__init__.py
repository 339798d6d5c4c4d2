"""Pure domain rules of Confidant: no Textual, no SQL, no I/O."""
