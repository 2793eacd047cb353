"""Tests of profiles_module/partners/."""
