"""Bastion (堡垒): grassroots epidemic prevention and control."""
