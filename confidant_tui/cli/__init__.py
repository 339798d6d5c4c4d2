"""The `confidant` command line: argparse front door; every command calls services."""
