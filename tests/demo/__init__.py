"""Tests of profiles_module/demo/."""
