"""Commands of this module are being written; it contributes none yet."""
COMMANDS: list = []
