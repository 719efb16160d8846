"""`python -m kickoff_tui` runs the `kickoff` command."""

from kickoff_tui.launch import main

if __name__ == "__main__":
    main()
