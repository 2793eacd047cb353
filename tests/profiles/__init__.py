"""Tests of profiles_module/profiles/."""
