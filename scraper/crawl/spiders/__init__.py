"""Spiders of the wparchive Scrapy project."""
