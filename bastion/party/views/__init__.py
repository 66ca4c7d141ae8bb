"""Party pages under /party/: engagement and posts (front), deeds, briefings."""
