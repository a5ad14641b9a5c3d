"""Custom actions, one per module. The action server imports every submodule."""
