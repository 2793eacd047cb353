"""Tests of profiles_module/contact/."""
