"""Tests of profiles_module/publication/."""
