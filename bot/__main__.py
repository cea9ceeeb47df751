"""`python -m bot` is the same as `rampe`."""

from bot.cli import main

main()
