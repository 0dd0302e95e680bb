"""The network of centres: sites, the one place that scopes what a request reads, the site commands."""
