"""`python -m kickoff_tui` runs the `kickoff` command."""

from kickoff_tui.cli import main

if __name__ == "__main__":
    main(prog_name="kickoff")
