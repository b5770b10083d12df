"""Commands that build, check and serve the sites."""

COMMANDS: list = []
