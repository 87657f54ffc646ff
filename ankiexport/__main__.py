from .cli import main

# The name completion and usage lines use, as for the installed `ankiexport` command.
main(prog_name="ankiexport")
